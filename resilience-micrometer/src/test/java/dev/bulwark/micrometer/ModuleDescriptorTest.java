package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tests run on the class path, so the compiled module descriptor is checked here directly. */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    Path classes = Path.of(BulwarkMetrics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes).find("dev.bulwark.micrometer").orElseThrow().descriptor();
  }

  @Test
  void requiresTheCoreAndMicrometerOnlyBothTransitively() throws Exception {
    Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = descriptor().requires().stream()
        .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
    assertThat(requires).containsOnlyKeys("java.base", "dev.bulwark.core", "micrometer.core");
    assertThat(requires.get("dev.bulwark.core")).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
    assertThat(requires.get("micrometer.core")).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
  }

  @Test
  void exportsOnlyItsOwnPackage() throws Exception {
    assertThat(descriptor().exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.bulwark.micrometer");
  }

  @Test
  void micrometerCoreDeclaresTheAutomaticModuleNameWeRequire() throws Exception {
    Path jar = Path.of(io.micrometer.core.instrument.MeterRegistry.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    assertThat(ModuleFinder.of(jar).findAll()).extracting(r -> r.descriptor().name())
        .containsExactly("micrometer.core");
  }
}
