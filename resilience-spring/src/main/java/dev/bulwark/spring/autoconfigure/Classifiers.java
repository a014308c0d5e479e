package dev.bulwark.spring.autoconfigure;

import dev.bulwark.OutcomeClassifier;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Builds an {@link OutcomeClassifier} from the options {@code record-exceptions}, {@code ignore-exceptions}, {@code slow-call-duration}. */
final class Classifiers {
  private Classifiers() {}

  static <O extends PolicyOptions> void apply(ConfigLayers<O> layers,
      Function<O, List<Class<? extends Throwable>>> record, Function<O, List<Class<? extends Throwable>>> ignore,
      Function<O, Duration> slow, Consumer<OutcomeClassifier> setter) {
    List<Class<? extends Throwable>> recorded = layers.get(record);
    List<Class<? extends Throwable>> ignored = layers.get(ignore);
    Duration slowCall = layers.get(slow);
    if (recorded == null && ignored == null && slowCall == null) {
      return;
    }
    OutcomeClassifier.Builder builder = OutcomeClassifier.builder();
    if (recorded != null) {
      layers.set("record-exceptions", record, types -> builder.recordExceptions(array(types)));
    }
    if (ignored != null) {
      layers.set("ignore-exceptions", ignore, types -> builder.ignoreExceptions(array(types)));
    }
    if (slowCall != null) {
      layers.set("slow-call-duration", slow, builder::slowCallDuration);
    }
    setter.accept(builder.build());
  }

  @SuppressWarnings("unchecked")
  static Class<? extends Throwable>[] array(List<Class<? extends Throwable>> types) {
    return types.toArray((Class<? extends Throwable>[]) new Class<?>[0]);
  }
}
