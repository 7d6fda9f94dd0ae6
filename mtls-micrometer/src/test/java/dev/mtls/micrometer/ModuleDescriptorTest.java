package dev.mtls.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** On the module path, the binder is a module of its own that exports its API package only. */
class ModuleDescriptorTest {
  @Test
  void onTheModulePath_theModuleExportsOnlyItsApi_andReadsMicrometerAndCore() {
    Module module = MtlsMetrics.class.getModule();
    assumeTrue(module.isNamed(), "on the class path (the module-path execution checks this)");

    ModuleDescriptor descriptor = module.getDescriptor();
    assertThat(descriptor.name()).isEqualTo("dev.mtls.micrometer");
    assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.mtls.micrometer");
    assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
        .contains("dev.mtls.core", "micrometer.core");
    assertThat(module.canRead(MtlsMetricsTest.class.getModule())).isTrue();
  }
}
