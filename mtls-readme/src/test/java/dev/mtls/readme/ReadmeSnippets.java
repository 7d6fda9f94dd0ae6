package dev.mtls.readme;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Finds the {@code ```java} blocks of a Markdown file and compiles each one on its own, with
 * {@code --release 17}, against a class path. Other fences ({@code ```xml}, bare {@code ```})
 * are skipped.
 *
 * <p>A snippet must compile as written. The harness adds only:
 *
 * <ul>
 *   <li>the imports of {@link #IMPORTS} (plus {@link #ADAPTER_PACKAGES} once they hold a
 *       class), on one line before the snippet;
 *   <li>for a snippet of statements, a wrapping class and method, {@code class ReadmeSnippet {
 *       ... void snippet() throws Exception { <snippet> } }}, whose class declares the fixed
 *       set of names in {@link #CONTEXT_FIELDS}: things the README takes as given around a
 *       fragment. A snippet that consists of type declarations (after optional imports) is
 *       compiled as a compilation unit and gets the imports only.
 * </ul>
 *
 * <p>A literal {@code ...} (other than a varargs parameter) is a placeholder, not Java: it is
 * reported with its README line. Compiler diagnostics are reported with README line numbers.
 */
final class ReadmeSnippets {

  /** On-demand imports every snippet gets. */
  static final List<String> IMPORTS = List.of(
      "java.io.*",
      "java.net.*",
      "java.net.http.*",
      "java.nio.file.*",
      "java.security.*",
      "java.security.cert.X509Certificate",
      "java.time.*",
      "java.util.*",
      "java.util.concurrent.*",
      "javax.net.ssl.*",
      "dev.mtls.core.*",
      "dev.mtls.core.MtlsListener.*",
      "dev.mtls.testkit.*",
      "org.junit.jupiter.api.*");

  /**
   * Adapter packages, imported on demand once the class path holds a class of theirs: while a
   * module is a shell its package is empty, and importing an empty package does not compile.
   */
  static final List<String> ADAPTER_PACKAGES = List.of("dev.mtls.servlet", "dev.mtls.netty", "dev.mtls.client");

  /**
   * The names a statement snippet may use without declaring them: the fields of the wrapping
   * class. Keep this list short; anything else a snippet uses, the README must declare.
   */
  static final List<String> CONTEXT_FIELDS = List.of(
      "java.nio.file.Path directory;",            // a directory the example writes files to
      "char[] password;",                         // a key store or key password
      "org.slf4j.Logger log;",                    // the application's logger
      "javax.net.ssl.SSLSession sslSession;",     // the session of a finished handshake
      "dev.mtls.core.MtlsContext server;");       // the server context the quick start built

  static final String WRAPPER_CLASS = "ReadmeSnippet";

  /**
   * One {@code ```java} block.
   *
   * @param fenceLine the README line (1-based) of the opening fence
   * @param lines the block's lines, without the fences
   */
  record Snippet(int fenceLine, List<String> lines) {
    /** The README line number of the snippet's line {@code index} (0-based). */
    int readmeLine(int index) {
      return fenceLine + 1 + index;
    }

    String code() {
      return String.join("\n", lines) + "\n";
    }

    @Override
    public String toString() {
      return "README.md:" + readmeLine(0);
    }
  }

  /** A snippet made into a compilation unit: {@code offset} lines come before the snippet's. */
  record Wrapped(String typeName, String source, int offset, boolean statements) {}

  /** The outcome of compiling one snippet: empty problems means it compiled. */
  record Result(Snippet snippet, List<String> problems, String source) {
    boolean ok() {
      return problems.isEmpty();
    }

    String report() {
      StringBuilder out = new StringBuilder();
      out.append("README.md line ").append(snippet.readmeLine(0))
          .append(": the ```java block opened at line ").append(snippet.fenceLine())
          .append(" does not compile on Java 17 as written:\n");
      for (String problem : problems) {
        out.append("  ").append(problem.replace("\n", "\n  ")).append('\n');
      }
      out.append("(compiled as:)\n").append(source);
      return out.toString();
    }
  }

  private static final Pattern FENCE = Pattern.compile("^( {0,3})(`{3,}|~{3,})\\s*([^`\\s]*).*$");

  private ReadmeSnippets() {}

  /** Every {@code ```java} block of a Markdown text, in order. */
  static List<Snippet> javaBlocks(String markdown) {
    List<String> lines = markdown.lines().collect(Collectors.toList());
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int indent = open.group(1).length();
      String fence = open.group(2);
      boolean java = open.group(3).toLowerCase(Locale.ROOT).equals("java");
      int fenceLine = i + 1;
      List<String> body = new ArrayList<>();
      boolean closed = false;
      for (i++; i < lines.size(); i++) {
        String line = lines.get(i);
        String trimmed = line.strip();
        if (trimmed.startsWith(fence.substring(0, 3)) && trimmed.chars().allMatch(c -> c == fence.charAt(0))
            && trimmed.length() >= fence.length() && line.indexOf(trimmed) <= 3) {
          closed = true;
          break;
        }
        body.add(stripIndent(line, indent));
      }
      if (!closed) {
        throw new IllegalArgumentException("README.md line " + fenceLine + ": the fence " + fence + " is never closed");
      }
      if (java) {
        snippets.add(new Snippet(fenceLine, List.copyOf(body)));
      }
    }
    return snippets;
  }

  private static String stripIndent(String line, int indent) {
    int strip = 0;
    while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
      strip++;
    }
    return line.substring(strip);
  }

  /**
   * The README lines holding a {@code ...} placeholder: three dots outside comments and
   * literals that are not a varargs parameter ({@code String... names}).
   */
  static List<Integer> placeholderLines(Snippet snippet) {
    String s = skeleton(snippet.code());
    List<Integer> found = new ArrayList<>();
    for (int at = s.indexOf("..."); at >= 0; at = s.indexOf("...", at + 3)) {
      int before = at - 1;
      while (before >= 0 && Character.isWhitespace(s.charAt(before))) {
        before--;
      }
      int after = at + 3;
      while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
        after++;
      }
      boolean varargs = before >= 0 && after < s.length()
          && (Character.isJavaIdentifierPart(s.charAt(before)) || s.charAt(before) == '>' || s.charAt(before) == ']')
          && Character.isJavaIdentifierStart(s.charAt(after));
      if (!varargs) {
        int line = snippet.readmeLine(lineIndex(s, at));
        if (!found.contains(line)) {
          found.add(line);
        }
      }
    }
    return found;
  }

  private static int lineIndex(String s, int position) {
    int line = 0;
    for (int i = 0; i < position; i++) {
      if (s.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * The code with comments and string, text block and character literals blanked out
   * (newlines kept, so positions and line numbers stay).
   */
  static String skeleton(String code) {
    StringBuilder out = new StringBuilder(code);
    int n = code.length();
    int i = 0;
    while (i < n) {
      int end;
      if (code.startsWith("//", i)) {
        end = code.indexOf('\n', i);
        end = end < 0 ? n : end;
      } else if (code.startsWith("/*", i)) {
        end = code.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
      } else if (code.startsWith("\"\"\"", i)) {
        end = i + 3;
        while (end < n && !code.startsWith("\"\"\"", end)) {
          end += code.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 3);
      } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
        char quote = code.charAt(i);
        end = i + 1;
        while (end < n && code.charAt(end) != quote && code.charAt(end) != '\n') {
          end += code.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
      } else {
        i++;
        continue;
      }
      for (int k = i; k < end; k++) {
        if (out.charAt(k) != '\n') {
          out.setCharAt(k, ' ');
        }
      }
      i = end;
    }
    return out.toString();
  }

  private static final Set<String> MODIFIERS = Set.of(
      "public", "protected", "private", "abstract", "static", "final", "sealed", "non-sealed", "strictfp");
  private static final Pattern WORD =
      Pattern.compile("non-sealed|[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*");

  /** The word (identifier, keyword, or dotted name) starting at {@code i}, or {@code null}. */
  private static String wordAt(String s, int i) {
    if (i >= s.length()) {
      return null;
    }
    Matcher m = WORD.matcher(s).region(i, s.length());
    return m.lookingAt() ? m.group() : null;
  }

  /**
   * Whether the snippet is a compilation unit: optional imports, then nothing but type
   * declarations (class, interface, enum, record, annotation type; with annotations and
   * modifiers). Anything else is a snippet of statements.
   */
  static boolean isCompilationUnit(Snippet snippet) {
    String s = skeleton(snippet.code());
    int i = skipSpace(s, 0);
    for (String w = wordAt(s, i); "import".equals(w) || "package".equals(w); w = wordAt(s, i)) {
      int semicolon = s.indexOf(';', i);
      if (semicolon < 0) {
        return false;
      }
      i = skipSpace(s, semicolon + 1);
    }
    int types = 0;
    while (i < s.length()) {
      String keyword = null;
      while (keyword == null) {
        if (i < s.length() && s.charAt(i) == '@') {
          i = skipSpace(s, i + 1);
          String name = wordAt(s, i);
          if (name == null) {
            return false;
          }
          i = skipSpace(s, i + name.length());
          if (name.equals("interface")) {
            keyword = name;
          } else if (i < s.length() && s.charAt(i) == '(') {
            i = skipSpace(s, matching(s, i, '(', ')') + 1);
          }
          continue;
        }
        String w = wordAt(s, i);
        if (w == null) {
          return false;
        }
        i = skipSpace(s, i + w.length());
        if (MODIFIERS.contains(w)) {
          continue;
        }
        if (!Set.of("class", "interface", "enum", "record").contains(w)) {
          return false;
        }
        keyword = w;
      }
      if (wordAt(s, i) == null) {
        return false;
      }
      int brace = s.indexOf('{', i);
      if (brace < 0) {
        return false;
      }
      int close = matching(s, brace, '{', '}');
      if (close >= s.length()) {
        return false;
      }
      types++;
      i = skipSpace(s, close + 1);
    }
    return types > 0;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The index of the bracket closing the one at {@code open}, or {@code s.length()}. */
  private static int matching(String s, int open, char left, char right) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      if (s.charAt(i) == left) {
        depth++;
      } else if (s.charAt(i) == right && --depth == 0) {
        return i;
      }
    }
    return s.length();
  }

  private static final Pattern TYPE_DECLARATION =
      Pattern.compile("\\b(public\\s+)?(?:[\\w-]+\\s+)*?(?:class|interface|enum|record)\\s+([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)");

  /** The snippet as a compilation unit, the imports on its first line. */
  static Wrapped wrap(Snippet snippet, List<String> imports) {
    String importLine = imports.stream().map(i -> "import " + i + ";").collect(Collectors.joining(" ")) + "\n";
    if (isCompilationUnit(snippet)) {
      return new Wrapped(topLevelTypeName(snippet), importLine + snippet.code(), 1, false);
    }
    String open = "class " + WRAPPER_CLASS + " { " + String.join(" ", CONTEXT_FIELDS)
        + " void snippet() throws Exception {\n";
    return new Wrapped(WRAPPER_CLASS, importLine + open + snippet.code() + "}}\n", 2, true);
  }

  /** The public top-level type's name (the file must be named after it), else the first one's. */
  private static String topLevelTypeName(Snippet snippet) {
    String s = skeleton(snippet.code());
    String first = null;
    Matcher m = TYPE_DECLARATION.matcher(s);
    while (m.find()) {
      if (depth(s, m.start()) != 0) {
        continue;
      }
      if (m.group(1) != null) {
        return m.group(2);
      }
      if (first == null) {
        first = m.group(2);
      }
    }
    return first != null ? first : WRAPPER_CLASS;
  }

  private static int depth(String s, int position) {
    int depth = 0;
    for (int i = 0; i < position; i++) {
      if (s.charAt(i) == '{') {
        depth++;
      } else if (s.charAt(i) == '}') {
        depth--;
      }
    }
    return depth;
  }

  /** Compiles snippets, each on its own, against one class path; class files are discarded. */
  static final class Compiler implements AutoCloseable {
    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final JavaFileManager discarding;
    private final List<String> options;
    private final List<String> imports;

    Compiler(String classPath) {
      javac = ToolProvider.getSystemJavaCompiler();
      if (javac == null) {
        throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
      }
      files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
      discarding = new ForwardingJavaFileManager<>(files) {
        @Override
        public JavaFileObject getJavaFileForOutput(
            Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
          return new SimpleJavaFileObject(URI.create("discard:///" + className.replace('.', '/') + kind.extension), kind) {
            @Override
            public OutputStream openOutputStream() {
              return OutputStream.nullOutputStream();
            }
          };
        }
      };
      options = List.of("--release", "17", "-proc:none", "-implicit:none", "-encoding", "UTF-8",
          "-classpath", classPath);
      List<String> all = new ArrayList<>(IMPORTS);
      for (String adapter : ADAPTER_PACKAGES) {
        if (hasClasses(classPath, adapter)) {
          all.add(adapter + ".*");
        }
      }
      imports = List.copyOf(all);
    }

    List<String> imports() {
      return imports;
    }

    private boolean hasClasses(String classPath, String packageName) {
      try {
        files.setLocation(StandardLocation.CLASS_PATH,
            java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(p -> !p.isEmpty()).map(java.io.File::new).collect(Collectors.toList()));
        for (JavaFileObject file : files.list(StandardLocation.CLASS_PATH, packageName, Set.of(JavaFileObject.Kind.CLASS), false)) {
          if (!files.inferBinaryName(StandardLocation.CLASS_PATH, file).endsWith("package-info")) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Result compile(Snippet snippet) {
      Wrapped wrapped = wrap(snippet, imports);
      List<String> problems = new ArrayList<>();
      for (int line : placeholderLines(snippet)) {
        problems.add("README.md:" + line + ": `...` is a placeholder, not Java; write the code out: "
            + snippet.lines().get(line - snippet.readmeLine(0)).strip());
      }
      JavaFileObject source = new SimpleJavaFileObject(
          URI.create("string:///" + wrapped.typeName() + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return wrapped.source();
        }
      };
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter output = new StringWriter();
      boolean compiled = javac.getTask(output, discarding, diagnostics, options, null, List.of(source)).call();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR || !compiled) {
          problems.add(where(snippet, wrapped, d) + ": " + d.getKind().toString().toLowerCase(Locale.ROOT)
              + ": " + d.getMessage(Locale.ROOT));
        }
      }
      if (!compiled && problems.isEmpty()) {
        problems.add("javac failed without a diagnostic: " + output);
      }
      return new Result(snippet, List.copyOf(problems), numbered(snippet, wrapped));
    }

    private static String where(Snippet snippet, Wrapped wrapped, Diagnostic<?> d) {
      long line = d.getLineNumber();
      if (line == Diagnostic.NOPOS) {
        return "README.md (snippet at line " + snippet.readmeLine(0) + ")";
      }
      long index = line - 1 - wrapped.offset();
      if (index < 0 || index >= snippet.lines().size()) {
        return "README.md (snippet at line " + snippet.readmeLine(0) + "), harness wrapper line " + line;
      }
      return "README.md:" + snippet.readmeLine((int) index) + ":" + d.getColumnNumber();
    }

    /** The compiled source, each snippet line prefixed with its README line number. */
    private static String numbered(Snippet snippet, Wrapped wrapped) {
      List<String> lines = wrapped.source().lines().collect(Collectors.toList());
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < lines.size(); i++) {
        int index = i - wrapped.offset();
        String label = index >= 0 && index < snippet.lines().size() ? String.valueOf(snippet.readmeLine(index)) : "";
        out.append(String.format(Locale.ROOT, "%6s| %s%n", label, lines.get(i)));
      }
      return out.toString();
    }

    @Override
    public void close() throws IOException {
      files.close();
    }
  }
}
