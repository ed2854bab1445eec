package dev.shardhook.perf;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the benchmark jar: {@code java -jar shardhook-perf.jar
 * accept|backlog|deliver|failover|fifo|headofline|history|latency|list|scale|soak [options]}
 * ({@code perf/run} builds the jars and calls it).
 *
 * <p>Every scenario writes progress to stderr, a result directory, and one JSON line with its
 * result to stdout, last. Exit status: 0 ok, 1 the run failed or found a problem (lost jobs,
 * errors), 2 bad usage, 4 a program a baseline needs is not installed.
 */
@Command(
    name = "shardhook-perf",
    mixinStandardHelpOptions = true,
    description = "Benchmark scenarios for Shardhook, side by side with etcd and db-scheduler.",
    subcommands = {
      AcceptCommand.class,
      AdaptiveCommand.class,
      BacklogCommand.class,
      DeliverCommand.class,
      FailoverCommand.class,
      FifoCommand.class,
      HeadOfLineCommand.class,
      HistoryCommand.class,
      LatencyCommand.class,
      ListCommand.class,
      ScaleCommand.class,
      SoakCommand.class
    })
public final class PerfMain implements Runnable {
  /** Exit status when a baseline's program is not installed. */
  static final int EXIT_MISSING_PREREQUISITE = 4;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Pick a scenario: accept, adaptive, backlog, deliver, failover, fifo, headofline, history,"
            + " latency, list, scale or soak");
  }

  /** The command line writing to System.out/err. */
  static CommandLine newCommandLine() {
    return newCommandLine(ScenarioRunner.Streams.system());
  }

  /** The command line with the converters every scenario uses, writing to {@code streams}. */
  static CommandLine newCommandLine(ScenarioRunner.Streams streams) {
    CommandLine cli =
        new CommandLine(new PerfMain(), new StreamsFactory(streams))
            .registerConverter(Duration.class, DurationParser::parse)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setOverwrittenOptionsAllowed(true); // perf/run's --progress, then the user's
    cli.setOut(new PrintWriter(streams.err(), true)); // --help and usage never reach stdout
    cli.setErr(new PrintWriter(streams.err(), true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof MissingPrerequisiteException) {
            err.println("perf: " + e.getMessage());
            return EXIT_MISSING_PREREQUISITE;
          }
          if (e instanceof IllegalArgumentException) {
            err.println("perf: " + e.getMessage());
            return 2;
          }
          err.println("perf: " + commandLine.getCommandName() + " failed: " + e);
          e.printStackTrace(err);
          return 1;
        });
    return cli;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(newCommandLine().execute(args));
  }

  /** Creates the scenario commands with the streams they write to. */
  private record StreamsFactory(ScenarioRunner.Streams streams) implements IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        return type.getDeclaredConstructor(ScenarioRunner.Streams.class).newInstance(streams);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }
}
