package dev.mtls.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setting that only makes sense on one side is only on that side's builder: code that
 * sets a server-identity rule on a server, or a client-auth mode or peer policy on a client,
 * does not compile. Proven by compiling such code against the library with the JDK compiler.
 */
class RoleSafeBuildersTest {
  @TempDir Path out;

  @Test
  void serverIdentityRule_onAServerBuilder_doesNotCompile() {
    assertThat(compile("MtlsContext.forServer().serverIdentity(ServerIdentity.hostName());"))
        .contains("cannot find symbol").contains("serverIdentity");
  }

  @Test
  void clientAuth_onAClientBuilder_doesNotCompile() {
    assertThat(compile("MtlsContext.forClient().clientAuth(ClientAuth.OPTIONAL);"))
        .contains("cannot find symbol").contains("clientAuth");
  }

  @Test
  void peerPolicy_onAClientBuilder_doesNotCompile() {
    assertThat(compile("MtlsContext.forClient().peerPolicy(PeerPolicy.anyTrustedPeer());"))
        .contains("cannot find symbol").contains("peerPolicy");
  }

  @Test
  void peerPolicyInHandshake_onAClientBuilder_doesNotCompile() {
    // A client's server-identity rule always decides in the handshake.
    assertThat(compile("MtlsContext.forClient().peerPolicyInHandshake(false);"))
        .contains("cannot find symbol").contains("peerPolicyInHandshake");
  }

  @Test
  void eachSidesOwnSettings_compile() {
    assertThat(compile("MtlsContext.forServer().clientAuth(ClientAuth.OPTIONAL).peerPolicy(PeerPolicy.anyTrustedPeer())"
        + ".peerPolicyInHandshake(false).clockSkew(java.time.Duration.ofSeconds(5));"
        + " MtlsContext.forClient().serverIdentity(ServerIdentity.hostName()).clockSkew(java.time.Duration.ZERO);"))
        .isEmpty();
  }

  /** Compiles a statement inside a class outside the library's package; returns the errors. */
  private String compile(String statement) {
    String source = "import dev.mtls.core.*;\nclass Snippet {\n  void run() {\n    " + statement + "\n  }\n}\n";
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null);
    List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
        "-d", out.toString(), "-proc:none", "--release", "17");
    StringWriter messages = new StringWriter();
    boolean compiled = compiler.getTask(messages, files, diagnostics, options, null, List.of(file)).call();
    StringBuilder errors = new StringBuilder();
    diagnostics.getDiagnostics().forEach(d -> errors.append(d.getMessage(null)).append('\n'));
    assertThat(compiled).as("compiled: %s", errors).isEqualTo(errors.length() == 0);
    return errors.toString();
  }
}
