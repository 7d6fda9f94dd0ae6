package dev.mtls.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JMH JSON result files ({@code -rf json}) into the Markdown table of the README's
 * "Performance" section: one table per file, each row one of ours with its baseline from the
 * same run and the ratio of their speeds.
 *
 * <p>How a row finds its baseline (the convention every benchmark class in
 * {@code dev.mtls.benchmarks} follows):
 * <ul>
 *   <li>By parameter: a {@code @Param} with a value starting with {@code baseline} (for example
 *       {@code context=baseline} against {@code context=mtls}) makes that class's results with
 *       that value the baselines; every other value of the parameter is compared with the
 *       baseline of the same method and the same other parameters.
 *   <li>By method: a method named {@code baseline} is the baseline of every other method of its
 *       class with the same parameters; a method {@code baseline_X} or {@code baseline_Y_X} is
 *       the baseline of the methods whose name ends in {@code _X} (for example {@code mtls_X}
 *       or {@code mtls_jetty_X}). A result with several baselines gets a row for each.
 * </ul>
 * A result with no baseline (a floor, a measurement on its own) is listed with no ratio.
 * The ratio is always of speeds, ours over the baseline's: above 1 ours is faster, whether JMH
 * measured throughput ({@code ops/s}) or time per operation ({@code µs/op}, then the baseline's
 * time over ours). Where a result has a {@code provider} parameter other than {@code JDK}, the
 * last column compares it with the baseline on {@code provider=JDK}: the hand-built SunJSSE
 * context users would otherwise write. Counters ({@code @AuxCounters}, such as failed
 * handshakes) are listed in the notes column.
 *
 * <p>Beside a result file {@code results-jdk17.json}, a file {@code results-jdk17-openssl.txt}
 * holding the output of {@code openssl speed -mr ecdsap256} from the same run adds the crypto
 * floor of an OpenSSL mutual handshake: two ECDSA P-256 signatures (both CertificateVerify
 * messages) and four verifications (those two, and each side's check of the other's
 * certificate against the CA), and compares the OpenSSL handshake rows with it.
 *
 * <pre>
 * java -cp benchmarks.jar dev.mtls.benchmarks.report.Report [--readme README.md] results-jdk17.json ...
 * </pre>
 * prints the tables and, with {@code --readme}, puts them between the README's
 * {@code <!-- perf:begin -->} and {@code <!-- perf:end -->} markers.
 */
public final class Report {
  /** The line before the tables in the README. */
  public static final String BEGIN = "<!-- perf:begin -->";
  /** The line after the tables in the README. */
  public static final String END = "<!-- perf:end -->";

  private static final long MAX_FILE_BYTES = 64L << 20;
  private static final String PACKAGE = "dev.mtls.benchmarks.";
  /** The percentiles JMH lists beside a sampled time ({@code p0.50}): the p99 note gives the one that matters. */
  private static final Pattern PERCENTILE = Pattern.compile("p\\d+(\\.\\d+)?");
  /** The aux counter of retained heap: a result that has it is compared by it. */
  private static final String BYTES = "bytes";
  private static final Pattern SPEED = Pattern.compile("^\\+F4:\\d+:256:([0-9.]+):([0-9.]+)\\s*$",
      Pattern.MULTILINE);

  private Report() {
  }

  /**
   * Prints the tables of the given result files, and with {@code --readme FILE} writes them
   * into that file between the markers.
   *
   * @param args {@code [--readme FILE] RESULTS.json...}
   * @throws IOException when a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Path readme = null;
    List<Path> results = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--readme") && i + 1 < args.length) {
        readme = Path.of(args[++i]);
      } else {
        results.add(Path.of(args[i]));
      }
    }
    if (results.isEmpty()) {
      System.err.println("usage: Report [--readme README.md] results.json...");
      System.exit(2);
    }
    StringBuilder tables = new StringBuilder();
    for (Path file : results) {
      tables.append(table(file)).append('\n');
    }
    System.out.print(tables);
    if (readme != null) {
      String text = Files.readString(readme, StandardCharsets.UTF_8);
      Files.writeString(readme, replaceBetweenMarkers(text, tables.toString()), StandardCharsets.UTF_8);
      System.out.println("Wrote the tables into " + readme);
    }
  }

  /**
   * The Markdown table of one JMH JSON result file, headed with its JDK and the file's date,
   * with the OpenSSL floor when its {@code -openssl.txt} file lies beside it.
   *
   * @param file a JMH result file ({@code -rf json})
   * @return the heading line and the table
   * @throws IOException when the file cannot be read
   */
  public static String table(Path file) throws IOException {
    String date = DateTimeFormatter.ISO_LOCAL_DATE.format(
        Instant.ofEpochMilli(Files.getLastModifiedTime(file).toMillis()).atZone(ZoneOffset.UTC));
    Path speedFile = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + "-openssl.txt");
    String speed = Files.isRegularFile(speedFile) ? read(speedFile) : null;
    return table(read(file), date, speed);
  }

  /**
   * The Markdown table of one JMH JSON result text.
   *
   * @param json the JMH JSON
   * @param date the day of the run, for the heading
   * @param opensslSpeed the output of {@code openssl speed -mr ecdsap256} in the same run, or {@code null}
   * @return the heading line and the table
   */
  public static String table(String json, String date, String opensslSpeed) {
    List<Result> results = Result.all(Json.parse(json));
    StringBuilder out = new StringBuilder();
    String jdk = results.isEmpty() ? "unknown JDK" : results.get(0).jdk;
    out.append("**JDK ").append(jdk).append(", ").append(date).append("** (").append(results.size())
        .append(" results; ratios: above 1.00× ours is faster, or smaller in bytes)\n\n");
    out.append("| benchmark | case | ours | baseline | ours ÷ baseline | ÷ hand-built JDK | notes |\n");
    out.append("|---|---|---:|---:|---:|---:|---|\n");
    Double floor = floor(opensslSpeed);
    if (floor != null) {
      out.append("| OpenSSL crypto floor | 2 ECDSA P-256 signs + 4 verifies (`openssl speed`) | ")
          .append(number(floor)).append(" ops/s | | | | one mutual handshake's signatures alone |\n");
    }
    for (Result result : results) {
      if (result.isBaseline()) {
        if (results.stream().noneMatch(other -> other.baselinesIn(results, false).contains(result))) {
          out.append(row(result, "", "", "", "baseline without a pair"));
        }
        continue;
      }
      List<Result> baselines = result.baselinesIn(results, false);
      String onJdk = result.baselinesIn(results, true).stream().findFirst().map(b -> ratio(result, b)).orElse("");
      List<String> notes = new ArrayList<>(result.counters());
      if (floor != null && "OPENSSL".equals(result.params.get("provider")) && result.unit.equals("ops/s")) {
        notes.add(String.format(Locale.ROOT, "floor ÷ ours %.2f×", floor / result.score));
      }
      if (baselines.isEmpty()) {
        out.append(row(result, "", "", onJdk, String.join("; ", notes)));
      }
      for (Result baseline : baselines) {
        List<String> rowNotes = new ArrayList<>(notes);
        // Name the baseline where the method names alone do not pair them one to one.
        if (baseline.roleParam() == null && !baseline.method.equals("baseline") && (baselines.size() > 1
            || !baseline.method.equals("baseline_" + result.method.substring(result.method.indexOf('_') + 1)))) {
          rowNotes.add("vs " + baseline.method);
        }
        if (Double.isFinite(result.p99) && Double.isFinite(baseline.p99) && result.p99 > 0) {
          rowNotes.add(String.format(Locale.ROOT, "p99 %s vs %s %s: ×%.2f", number(result.p99), number(baseline.p99),
              result.unit.replace("us/", "µs/"), result.p99 / baseline.p99));
        }
        out.append(row(result, baseline.value(), ratio(result, baseline), onJdk, String.join("; ", rowNotes)));
      }
    }
    return out.toString();
  }

  /**
   * The README text with the tables between the markers, replacing what was there.
   *
   * @throws IllegalArgumentException when the README lacks either marker
   */
  static String replaceBetweenMarkers(String readme, String tables) {
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the README has no " + BEGIN + " ... " + END + " block");
    }
    return readme.substring(0, begin + BEGIN.length()) + "\n" + tables + readme.substring(end);
  }

  private static String row(Result result, String baseline, String ratio, String jdk, String notes) {
    return "| " + result.className + "." + result.method + " | " + result.caseText() + " | " + result.value() + " | "
        + baseline + " | " + ratio + " | " + jdk + " | " + notes + " |\n";
  }

  private static String ratio(Result ours, Result baseline) {
    return String.format(Locale.ROOT, "%.2f×", ours.speed() / baseline.speed());
  }

  /** Handshakes per second that two signatures and four verifications alone allow, or null. */
  private static Double floor(String opensslSpeed) {
    if (opensslSpeed == null) {
      return null;
    }
    Matcher speeds = SPEED.matcher(opensslSpeed);
    if (!speeds.find()) {
      return null;
    }
    double signs = Double.parseDouble(speeds.group(1));
    double verifies = Double.parseDouble(speeds.group(2));
    return 1 / (2 / signs + 4 / verifies);
  }

  static String number(double value) {
    double magnitude = Math.abs(value);
    String format = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3g";
    return String.format(Locale.ROOT, format, value);
  }

  /** A counter: a whole number as one, else as a measurement. */
  static String count(double value) {
    return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : number(value);
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes: not a JMH result file");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** One JMH result: a benchmark method with one set of parameters. */
  private static final class Result {
    final String className;
    final String method;
    final String mode;
    final Map<String, String> params;
    final double score;
    final double error;
    final String unit;
    final String jdk;
    final Map<String, Object> secondary;
    /** The 99th percentile of a sampled time (mode {@code sample}), else NaN. */
    final double p99;

    @SuppressWarnings("unchecked")
    Result(Map<String, Object> json) {
      String benchmark = (String) Objects.requireNonNull(json.get("benchmark"), "a result without \"benchmark\"");
      int dot = benchmark.lastIndexOf('.');
      String type = benchmark.substring(0, dot);
      className = type.startsWith(PACKAGE) ? type.substring(PACKAGE.length()) : type;
      method = benchmark.substring(dot + 1);
      params = new LinkedHashMap<>();
      Object parameters = json.get("params");
      if (parameters instanceof Map<?, ?> map) {
        map.forEach((key, value) -> params.put(String.valueOf(key), String.valueOf(value)));
      }
      jdk = json.get("jdkVersion") + " (" + json.get("vmName") + ")";
      Object metrics = json.get("secondaryMetrics");
      secondary = metrics instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
      // A benchmark that counts retained "bytes" (MemoryBenchmark) is compared by them: its
      // time per operation measures nothing.
      Map<String, Object> primary = secondary.get(BYTES) instanceof Map<?, ?> bytes
          ? (Map<String, Object>) bytes : (Map<String, Object>) json.get("primaryMetric");
      boolean byBytes = primary != json.get("primaryMetric");
      mode = byBytes ? BYTES : String.valueOf(json.get("mode"));
      score = asDouble(primary.get("score"));
      error = asDouble(primary.get("scoreError"));
      unit = byBytes ? "B" : String.valueOf(primary.get("scoreUnit"));
      p99 = primary.get("scorePercentiles") instanceof Map<?, ?> percentiles
          && mode.equals("sample") ? asDouble(percentiles.get("99.0")) : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    static List<Result> all(Object json) {
      if (!(json instanceof List<?> list)) {
        throw new IllegalArgumentException("not JMH JSON: the top level is not an array of results");
      }
      List<Result> results = new ArrayList<>();
      for (Object item : list) {
        results.add(new Result((Map<String, Object>) item));
      }
      return results;
    }

    private static double asDouble(Object value) {
      return value instanceof Double number ? number : Double.NaN;
    }

    boolean isBaseline() {
      return method.equals("baseline") || method.startsWith("baseline_") || roleParam() != null;
    }

    /** The parameter whose value makes this a baseline, or null. */
    String roleParam() {
      return params.entrySet().stream().filter(entry -> entry.getValue().startsWith("baseline"))
          .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Higher is faster: throughput as it is, time per operation inverted. */
    double speed() {
      return mode.equals("thrpt") ? score : 1 / score;
    }

    String value() {
      String shown = unit.replace("us/", "µs/");
      if (error > 0 && Double.isFinite(error) && score != 0) {
        return number(score) + " " + shown + String.format(Locale.ROOT, " ±%.0f%%", 100 * error / Math.abs(score));
      }
      return number(score) + " " + shown;
    }

    String caseText() {
      List<String> parts = new ArrayList<>();
      params.forEach((key, value) -> parts.add(key + "=" + value));
      return String.join(", ", parts);
    }

    List<String> counters() {
      List<String> counters = new ArrayList<>();
      secondary.forEach((name, metric) -> {
        if (name.equals(BYTES) && mode.equals(BYTES)) {
          return;
        }
        if (!name.startsWith("·") && !PERCENTILE.matcher(name).matches() && metric instanceof Map<?, ?> map) {
          counters.add(name + " " + count(asDouble(map.get("score"))));
        } else if (name.equals("·gc.alloc.rate.norm") && metric instanceof Map<?, ?> map) {
          counters.add(number(asDouble(map.get("score"))) + " B/op allocated");
        }
      });
      return counters;
    }

    /**
     * This result's baselines in the same run, by the class's convention; with {@code onJdk},
     * those on {@code provider=JDK} (none unless this result has another provider).
     */
    List<Result> baselinesIn(List<Result> results, boolean onJdk) {
      List<Result> baselines = new ArrayList<>();
      if (isBaseline()) {
        return baselines;
      }
      Map<String, String> wanted = new LinkedHashMap<>(params);
      if (onJdk) {
        String provider = params.get("provider");
        if (provider == null || provider.equals("JDK")) {
          return baselines;
        }
        wanted.put("provider", "JDK");
      }
      for (Result candidate : results) {
        if (!candidate.className.equals(className) || !candidate.isBaseline()) {
          continue;
        }
        String role = candidate.roleParam();
        if (role != null) {
          Map<String, String> expected = new LinkedHashMap<>(wanted);
          expected.put(role, candidate.params.get(role));
          if (candidate.method.equals(method) && candidate.params.equals(expected)) {
            baselines.add(candidate);
          }
        } else if (candidate.params.equals(wanted) && (candidate.method.equals("baseline")
            || lastSegment(candidate.method).equals(lastSegment(method)))) {
          baselines.add(candidate);
        }
      }
      return baselines;
    }

    /** {@code request} of {@code mtls_jetty_request}: what a method measures, whoever's it is. */
    private static String lastSegment(String method) {
      return method.substring(method.lastIndexOf('_') + 1);
    }
  }
}
