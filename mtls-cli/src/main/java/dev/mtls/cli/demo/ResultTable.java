package dev.mtls.cli.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The tour's table: client, expected, outcome, reason, and a mark for each outcome not as expected. */
final class ResultTable {
  private static final List<String> HEADINGS = List.of("client", "expected", "outcome", "reason");

  private ResultTable() {}

  static void print(PrintWriter out, List<Tour.Row> rows, boolean verbose) {
    List<List<String>> cells = new ArrayList<>();
    for (Tour.Row row : rows) {
      cells.add(List.of(row.client(), row.expected(), row.outcome(), row.reason()));
    }
    int[] widths = new int[HEADINGS.size()];
    for (int column = 0; column < widths.length; column++) {
      widths[column] = HEADINGS.get(column).length();
      for (List<String> line : cells) {
        widths[column] = Math.max(widths[column], line.get(column).length());
      }
    }
    line(out, "  ", HEADINGS, widths);
    line(out, "  ", HEADINGS.stream().map(heading -> "-".repeat(heading.length())).toList(), widths);
    for (int i = 0; i < rows.size(); i++) {
      Tour.Row row = rows.get(i);
      line(out, row.asExpected() ? "  " : "! ", cells.get(i), widths);
      if (verbose || !row.asExpected()) {
        row.details().forEach(detail -> out.println("      " + detail));
      }
    }
  }

  private static void line(PrintWriter out, String mark, List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder(mark);
    for (int column = 0; column < cells.size(); column++) {
      String cell = cells.get(column);
      text.append(cell);
      if (column < cells.size() - 1) {
        text.append(" ".repeat(widths[column] - cell.length() + 2));
      }
    }
    out.println(text);
  }
}
