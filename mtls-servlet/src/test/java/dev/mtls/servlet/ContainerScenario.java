package dev.mtls.servlet;

import dev.mtls.core.MtlsContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a scenario on a running container holds: the server context it started with and the
 * container, both stopped after the test, and a directory for the files it writes.
 */
abstract class ContainerScenario {
  @TempDir Path dir;

  MtlsContext server;
  Container.Running running;

  @AfterEach
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
