package dev.shardhook.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every scenario does around its measurement: the console, the result directory and the result
 * line printed last on stdout.
 */
final class ScenarioRunner {
  /** The streams the scenarios write to (System.out/err, or a test's). */
  record Streams(PrintStream out, PrintStream err) {
    static Streams system() {
      return new Streams(System.out, System.err);
    }
  }

  private static final Set<String> NOISE = Set.of("--repo", "--progress", "--results");

  private final Console console;
  private final RunOptions options;
  private final List<String> command;
  private final Instant started = Instant.now();

  ScenarioRunner(Streams streams, RunOptions options, CommandSpec spec) {
    this.console = new Console(streams.out(), streams.err(), options.progress);
    this.options = options;
    this.command = scenarioArgs(spec);
  }

  Console console() {
    return console;
  }

  /**
   * Writes the result directory, prints the result line (with {@code "resultDir"}) last on stdout,
   * and returns the exit status: 0 when the report is ok, else 1.
   */
  int finish(Report report) throws IOException {
    Path dir =
        new ResultWriter(console)
            .write(options.resultsRoot(), report, command, started, Instant.now());
    report.result().put("resultDir", dir.toString());
    console.say("report: %s", dir.resolve("report.md"));
    console.out().println(report.result().toJson());
    console.out().flush();
    return report.ok() ? 0 : 1;
  }

  /** The arguments after the scenario name, without those that only say where things are. */
  private static List<String> scenarioArgs(CommandSpec spec) {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    int from = all.indexOf(spec.name()) + 1;
    List<String> args = new ArrayList<>();
    for (int i = from; i < all.size(); i++) {
      String arg = all.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (NOISE.contains(name)) {
        if (!arg.contains("=")) {
          i++; // its value
        }
        continue;
      }
      args.add(arg);
    }
    return args;
  }
}
