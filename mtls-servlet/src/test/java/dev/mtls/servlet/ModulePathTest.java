package dev.mtls.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** In the module-path run: the filter and JettyMtls run as the named module users get. */
class ModulePathTest {
  @Test
  void filterAndJettyHelper_runInTheNamedModule_whichExportsOnlyItsApi() {
    Assumptions.assumeTrue(MtlsFilter.class.getModule().isNamed(), "this run is on the class path");

    Module module = MtlsFilter.class.getModule();
    assertThat(module.getName()).isEqualTo("dev.mtls.servlet");
    assertThat(JettyMtls.class.getModule()).isSameAs(module);
    assertThat(module.getDescriptor().exports()).singleElement()
        .satisfies(export -> assertThat(export.source()).isEqualTo("dev.mtls.servlet"));
    assertThat(org.eclipse.jetty.server.Server.class.getModule().getName()).isEqualTo("org.eclipse.jetty.server");
  }
}
