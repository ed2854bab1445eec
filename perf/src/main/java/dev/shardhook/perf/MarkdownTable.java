package dev.shardhook.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table for {@code report.md}. */
final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  MarkdownTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells for " + header.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null ? "–" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  /** {@code value} with {@code decimals} places; a dash when it is missing (NaN). */
  static String number(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  @Override
  public String toString() {
    StringBuilder md = new StringBuilder();
    md.append("| ").append(String.join(" | ", header)).append(" |\n");
    md.append("|").append(" --- |".repeat(header.size())).append("\n");
    for (List<String> row : rows) {
      md.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return md.toString();
  }
}
