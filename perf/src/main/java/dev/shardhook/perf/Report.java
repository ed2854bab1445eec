package dev.shardhook.perf;

import java.util.List;

/**
 * Everything a scenario hands to the {@link ResultWriter}.
 *
 * @param scenario {@code accept}, {@code deliver}, {@code failover} or {@code scale}
 * @param result the result line (printed last on stdout, and the head of {@code result.json})
 * @param details more for {@code result.json} only: time series, per-run figures
 * @param body the scenario's part of {@code report.md} (Markdown: tables, notes)
 * @param charts the PNG charts
 * @param ok whether the run went as it should (exit status 0)
 */
record Report(
    String scenario,
    ResultLine result,
    ResultLine details,
    String body,
    List<Charts.Named> charts,
    boolean ok) {}
