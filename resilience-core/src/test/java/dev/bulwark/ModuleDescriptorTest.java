package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tests run on the class path, so the compiled module descriptor is checked here directly. */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    Path classes = Path.of(Clock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleReference reference = ModuleFinder.of(classes).find("dev.bulwark.core").orElseThrow();
    return reference.descriptor();
  }

  @Test
  void theCoreRequiresNothingButTheJdkBase() throws Exception {
    Set<String> requires = descriptor().requires().stream()
        .map(ModuleDescriptor.Requires::name)
        .collect(Collectors.toSet());
    assertThat(requires).containsExactly("java.base");
  }

  @Test
  void onlyApiPackagesAreExportedAndInternalsOnlyToAdapters() throws Exception {
    ModuleDescriptor descriptor = descriptor();
    assertThat(descriptor.packages()).contains("dev.bulwark.internal");
    for (ModuleDescriptor.Exports export : descriptor.exports()) {
      if (export.source().contains("internal")) {
        assertThat(export.isQualified())
            .as("%s may only be exported to named adapter modules", export.source())
            .isTrue();
      }
    }
    assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source).contains("dev.bulwark");
  }
}
