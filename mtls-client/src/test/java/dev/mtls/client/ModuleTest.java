package dev.mtls.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Which path the tests run on: the module-path execution (property {@code mtls.test.modulePath})
 * has the client in its named module, which exports only {@code dev.mtls.client} and reads the
 * core's; the default execution has it on the class path.
 */
class ModuleTest {
  @Test
  void client_isInItsNamedModule_exactlyOnTheModulePath() {
    Module module = MtlsHttpClients.class.getModule();
    boolean modulePath = Boolean.getBoolean("mtls.test.modulePath");

    assertThat(module.isNamed()).isEqualTo(modulePath);
    if (modulePath) {
      ModuleDescriptor descriptor = module.getDescriptor();
      assertThat(descriptor.name()).isEqualTo("dev.mtls.client");
      assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.mtls.client");
      assertThat(module.canRead(dev.mtls.core.MtlsContext.class.getModule())).isTrue();
      assertThat(dev.mtls.core.MtlsContext.class.getModule().getName()).isEqualTo("dev.mtls.core");
    }
  }
}
