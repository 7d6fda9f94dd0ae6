package dev.mtls.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.readme.ReadmeSnippets.Compiler;
import dev.mtls.readme.ReadmeSnippets.Result;
import dev.mtls.readme.ReadmeSnippets.Snippet;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness itself: what it extracts, how it wraps, and what it reports. */
class ReadmeSnippetsHarnessTest {
  private static Compiler compiler;

  @BeforeAll
  static void startCompiler() {
    compiler = new Compiler(System.getProperty("java.class.path"));
  }

  @AfterAll
  static void stopCompiler() throws IOException {
    compiler.close();
  }

  private static Snippet only(String markdown) {
    List<Snippet> snippets = ReadmeSnippets.javaBlocks(markdown);
    assertEquals(1, snippets.size(), snippets.toString());
    return snippets.get(0);
  }

  @Test
  void findsOnlyJavaFencesWithTheirLineNumbers() {
    String markdown = String.join("\n",
        "# title",                 // 1
        "```xml",                  // 2
        "<a>```java</a>",          // 3
        "```",                     // 4
        "```java",                 // 5
        "int a = 1;",              // 6
        "```",                     // 7
        "```",                     // 8
        "not java",                // 9
        "```",                     // 10
        "~~~~ Java",               // 11
        "int b = 2;",              // 12
        "```",                     // 13: inside the ~~~~ block
        "~~~~",                    // 14
        "");
    List<Snippet> snippets = ReadmeSnippets.javaBlocks(markdown);
    assertEquals(2, snippets.size());
    assertEquals(5, snippets.get(0).fenceLine());
    assertEquals(List.of("int a = 1;"), snippets.get(0).lines());
    assertEquals(6, snippets.get(0).readmeLine(0));
    assertEquals(11, snippets.get(1).fenceLine());
    assertEquals(List.of("int b = 2;", "```"), snippets.get(1).lines());
  }

  @Test
  void statementsCompileWithTheImportsAndTheContextFields() {
    Result result = compiler.compile(only(String.join("\n",
        "```java",
        "TestCa ca = TestCa.create();",
        "PemFiles files = ca.server(\"localhost\").writePem(directory);",
        "KeyStore store = ca.client(\"orders\").keyStore(password);",
        "log.info(\"{} {}\", files, store);",
        "Verdict verdict = server.verifier().verify(sslSession);",
        "```")));
    assertTrue(result.ok(), result::report);
  }

  @Test
  void typeDeclarationsCompileAsACompilationUnit() {
    Snippet snippet = only(String.join("\n",
        "```java",
        "import java.util.function.Supplier;",
        "",
        "@WithTestCa",
        "class ServerTest {",
        "  TestCa ca;",
        "  Supplier<String> names;",
        "  @Test void names(String... more) { ca.server(\"localhost\", more); }",
        "}",
        "record Pair(String a, String b) {}",
        "```"));
    assertTrue(ReadmeSnippets.isCompilationUnit(snippet));
    Result result = compiler.compile(snippet);
    assertTrue(result.ok(), result::report);
  }

  @Test
  void aPublicClassNamesTheFile() {
    Result result = compiler.compile(only("```java\nclass Helper {}\npublic final class Main { Helper h; }\n```\n"));
    assertTrue(result.ok(), result::report);
  }

  @Test
  void aLocalClassFollowedByStatementsIsAStatementSnippet() {
    Snippet snippet = only("```java\nrecord Point(int x) {}\nPoint p = new Point(1);\n```\n");
    assertFalse(ReadmeSnippets.isCompilationUnit(snippet));
    Result result = compiler.compile(snippet);
    assertTrue(result.ok(), result::report);
  }

  @Test
  void aPlaceholderFailsNamingItsReadmeLine() {
    Result result = compiler.compile(only(String.join("\n",
        "intro",                                              // 1
        "```java",                                            // 2
        "MtlsContext server = MtlsContext.forServer()",      // 3
        "    ...",                                            // 4
        "    .build();  // a comment may say ... freely",   // 5
        "String s = \"and so may ... a string\";",          // 6
        "switch (s) { ... }",                                 // 7
        "```")));
    assertFalse(result.ok());
    assertEquals(List.of(4, 7), ReadmeSnippets.placeholderLines(result.snippet()));
    assertTrue(result.report().contains("README.md:4: `...` is a placeholder"), result::report);
    assertTrue(result.report().contains("README.md:7: `...` is a placeholder"), result::report);
  }

  @Test
  void compilerErrorsNameTheReadmeLine() {
    Result result = compiler.compile(only(String.join("\n",
        "```java",                              // 1
        "int fine = 1;",                        // 2
        "undefinedThing(fine);",                // 3
        "```")));
    assertFalse(result.ok());
    assertTrue(result.report().contains("README.md:3:"), result::report);
    assertTrue(result.report().contains("cannot find symbol"), result::report);
  }

  @Test
  void compilesForJava17() {
    Result result = compiler.compile(only(String.join("\n",
        "```java",
        "Verdict verdict = server.verifier().verify(sslSession);",
        "String text = switch (verdict) {",
        "  case Verdict.Allowed allowed -> \"allowed\";",
        "  case Verdict.Rejected rejected -> rejected.detail();",
        "};",
        "```")));
    assertFalse(result.ok(), "a pattern switch is Java 21, not 17");
    assertTrue(result.report().contains("README.md:4:"), result::report);
  }
}
