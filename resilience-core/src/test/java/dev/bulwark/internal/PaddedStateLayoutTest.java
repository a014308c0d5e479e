package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * Checks with JOL, on the running JVM's actual field layout, that every policy built on {@link PaddedState}
 * keeps its hot word at least 128 bytes (two cache lines) away from every other field and from the object's
 * end, so that no field the call path reads shares the word's line or the prefetched line beside it.
 */
class PaddedStateLayoutTest {
  private static final int CLEARANCE = 128;

  static Stream<String> paddedPolicies() {
    return Stream.of("dev.bulwark.bulkhead.SemaphoreBulkhead", "dev.bulwark.ratelimit.GcraRateLimiter",
        "dev.bulwark.limit.LimiterCore");
  }

  @ParameterizedTest
  @MethodSource("paddedPolicies")
  void theStateWordIsTwoCacheLinesAwayFromEveryOtherField(String className) throws Exception {
    ClassLayout layout = ClassLayout.parseClass(Class.forName(className));
    List<FieldLayout> fields = List.copyOf(layout.fields());
    FieldLayout state = fields.stream()
        .filter(f -> f.name().equals("state") && f.classShortName().equals("PaddedStateField"))
        .findFirst().orElseThrow();
    for (FieldLayout other : fields) {
      if (other == state || other.name().matches("p\\d\\d")) {
        continue;
      }
      long distance = other.offset() < state.offset()
          ? state.offset() - (other.offset() + other.size())
          : other.offset() - (state.offset() + state.size());
      assertThat(distance).as("bytes between %s.state and %s.%s in%n%s", className, other.classShortName(),
          other.name(), layout.toPrintable()).isGreaterThanOrEqualTo(CLEARANCE);
    }
    assertThat(layout.instanceSize() - (state.offset() + state.size())).as("bytes after the state word")
        .isGreaterThanOrEqualTo(CLEARANCE);
  }
}
