package dev.mtls.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

/** The module-path execution really runs on the module path, with Netty's own modules. */
class ModulePathTest {

  @Test
  void adapterAndNetty_areNamedModules_inTheModulePathExecution() {
    assumeTrue(Boolean.getBoolean("mtls.test.modulePath"), "runs in the module-path execution only");
    assertThat(MtlsSslContexts.class.getModule().getName()).isEqualTo("dev.mtls.netty");
    assertThat(SslContext.class.getModule().getName()).isEqualTo("io.netty.handler");
    assertThat(dev.mtls.core.MtlsContext.class.getModule().getName()).isEqualTo("dev.mtls.core");
    assertThat(MtlsSslContexts.class.getModule().isExported("dev.mtls.netty")).isTrue();
  }
}
