package dev.mtls.readme;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.readme.ReadmeSnippets.Compiler;
import dev.mtls.readme.ReadmeSnippets.Result;
import dev.mtls.readme.ReadmeSnippets.Snippet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * "Keep every README snippet compiling on Java 17 as written": each {@code ```java} block of
 * the README compiles, with {@code --release 17}, against this module's test class path
 * (every module the README shows, and JUnit). See {@link ReadmeSnippets} for the imports,
 * the wrapping of statements and the few names a snippet may take as given.
 */
class ReadmeSnippetsTest {
  /** Set by the build (surefire); the default serves a run from this module's directory. */
  static final Path README = Path.of(System.getProperty("mtls.readme", "../README.md"));

  private static Compiler compiler;

  @BeforeAll
  static void startCompiler() {
    compiler = new Compiler(System.getProperty("java.class.path"));
  }

  @AfterAll
  static void stopCompiler() throws IOException {
    compiler.close();
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompilesOnJava17AsWritten() throws IOException {
    List<Snippet> snippets = ReadmeSnippets.javaBlocks(Files.readString(README));
    assertFalse(snippets.isEmpty(), "no ```java block in " + README.toAbsolutePath());
    return snippets.stream().map(snippet -> dynamicTest(snippet.toString(), () -> {
      Result result = compiler.compile(snippet);
      if (!result.ok()) {
        fail(result.report());
      }
    }));
  }
}
