package dev.mtls.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final String SPEED = """
      +DTP:256:sign:ecdsa:1
      +R5:10385:256:0.35
      +F4:3:256:40000.000000:10000.000000
      """;

  @Test
  void table_pairsEachOfOursWithItsBaseline_byParameterAndByMethodName() throws IOException {
    String table = Report.table(sample(), "2026-12-01", null);

    assertThat(table).startsWith("**JDK 17.0.12 (OpenJDK 64-Bit Server VM), 2026-12-01** (15 results;");
    assertThat(table).contains(
        "| benchmark | case | ours | baseline | ours ÷ baseline | ÷ hand-built JDK | notes |",
        "| HandshakeBenchmark.handshake | provider=JDK, context=mtls | 198 ops/s | 200 ops/s ±5% | 0.99× |  |  |",
        "| HandshakeBenchmark.handshake | provider=BOUNCY_CASTLE, context=mtls | 480 ops/s | 300 ops/s | 1.60× | 2.40× |  |",
        // Times per operation: the ratio is still of speeds, the baseline's time over ours.
        "| ServletFilterBenchmark.mtls_request |  | 0.250 µs/op | 0.0500 µs/op | 0.20× |  |  |",
        "| CrlLookupBenchmark.lookup | entries=1000000 | 18.3 ns/op |  |  |  |  |",
        "| RotationBenchmark.handshake | rotation=mtlsEvery100ms | 190 ops/s | 200 ops/s | 0.95× |  | failedHandshakes 0 |",
        "| NettyHandshakeBenchmark.handshake | provider=OPENSSL, server=mtls | 1,000 ops/s |  |  | 4.00× |  |",
        "| CrlLookupBenchmark.lookup | entries=1000000 | 18.3 ns/op |  |  |  |  |");
    // One of ours beside two baselines: a row for each, naming it; the last part of a method's
    // name says what it measures.
    assertThat(table).contains(
        "| TestCaBenchmark.mtls_issueEcLeaf |  | 200 µs/op | 1,000 µs/op | 5.00× |  | vs baseline_okhttp_issueEcLeaf |",
        "| TestCaBenchmark.mtls_issueEcLeaf |  | 200 µs/op | 800 µs/op | 4.00× |  | vs baseline_netty_issueEcLeaf |",
        "| TestCaBenchmark.mtls_jetty_issueEcLeaf |  | 250 µs/op | 1,000 µs/op | 4.00× |  | vs baseline_okhttp_issueEcLeaf |");
    // Baselines appear as the baseline column of their pair, not as rows of their own.
    assertThat(table).doesNotContain("context=baseline", "baseline_request", "rotation=baseline");
  }

  @Test
  void table_addsTheOpensslFloor_andComparesTheOpensslRowsWithIt() throws IOException {
    String table = Report.table(sample(), "2026-12-01", SPEED);

    // 1 / (2 / 40,000 + 4 / 10,000) = 2,222 handshakes per second.
    assertThat(table).contains("| OpenSSL crypto floor | 2 ECDSA P-256 signs + 4 verifies (`openssl speed`) | 2,222 ops/s |");
    assertThat(table).contains("| provider=OPENSSL, server=mtls | 1,000 ops/s |  |  | 4.00× | floor ÷ ours 2.22× |");
  }

  @Test
  void table_comparesRetainedBytesByTheirCounter_andSampledTimesAlsoByTheir99thPercentile() {
    String json = """
        [
          {"benchmark": "dev.mtls.benchmarks.MemoryBenchmark.baseline_context", "mode": "avgt",
           "jdkVersion": "17", "vmName": "VM", "params": {},
           "primaryMetric": {"score": 5.0, "scoreError": "NaN", "scoreUnit": "ms/op"},
           "secondaryMetrics": {"bytes": {"score": 2000.0, "scoreError": "NaN", "scoreUnit": "#"}}},
          {"benchmark": "dev.mtls.benchmarks.MemoryBenchmark.mtls_context", "mode": "avgt",
           "jdkVersion": "17", "vmName": "VM", "params": {},
           "primaryMetric": {"score": 9.0, "scoreError": "NaN", "scoreUnit": "ms/op"},
           "secondaryMetrics": {"bytes": {"score": 8000.0, "scoreError": "NaN", "scoreUnit": "#"}}},
          {"benchmark": "dev.mtls.benchmarks.CrlRefreshBenchmark.baseline_handshake", "mode": "sample",
           "jdkVersion": "17", "vmName": "VM", "params": {},
           "primaryMetric": {"score": 2.0, "scoreError": "NaN", "scoreUnit": "ms/op",
                             "scorePercentiles": {"50.0": 1.9, "99.0": 4.0}}},
          {"benchmark": "dev.mtls.benchmarks.CrlRefreshBenchmark.mtls_handshake", "mode": "sample",
           "jdkVersion": "17", "vmName": "VM", "params": {},
           "primaryMetric": {"score": 2.5, "scoreError": "NaN", "scoreUnit": "ms/op",
                             "scorePercentiles": {"50.0": 2.0, "99.0": 6.0}}}
        ]
        """;

    String table = Report.table(json, "2026-12-01", null);

    assertThat(table).contains("| MemoryBenchmark.mtls_context |  | 8,000 B | 2,000 B | 0.25× |  |  |");
    assertThat(table).contains("| CrlRefreshBenchmark.mtls_handshake |  | 2.50 ms/op | 2.00 ms/op | 0.80× |  |"
        + " p99 6.00 vs 4.00 ms/op: ×1.50 |");
  }

  @Test
  void replaceBetweenMarkers_replacesOnlyTheBlock() {
    String readme = "# Performance\nbefore\n" + Report.BEGIN + "\nold table\n" + Report.END + "\nafter\n";

    assertThat(Report.replaceBetweenMarkers(readme, "new table\n"))
        .isEqualTo("# Performance\nbefore\n" + Report.BEGIN + "\nnew table\n" + Report.END + "\nafter\n");
    assertThatThrownBy(() -> Report.replaceBetweenMarkers("no markers", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Report.BEGIN);
  }

  @Test
  void table_refusesTextThatIsNotJmhJson() {
    assertThatThrownBy(() -> Report.table("{\"benchmark\": 1}", "2026-12-01", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an array");
    assertThatThrownBy(() -> Report.table("[{\"benchmark\": \"a.b\"", "2026-12-01", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
  }

  private static String sample() throws IOException {
    try (InputStream in = ReportTest.class.getResourceAsStream("/sample-results.json")) {
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
