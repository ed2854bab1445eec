package dev.shardhook.perf;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the benchmark jar: {@code java -jar shardhook-perf.jar accept|deliver [options]}.
 *
 * <p>Every scenario writes progress to stderr and one JSON line with its result to stdout, last.
 */
@Command(
    name = "shardhook-perf",
    mixinStandardHelpOptions = true,
    description = "Load scenarios against a running Shardhook entry URL.",
    subcommands = {AcceptCommand.class, DeliverCommand.class})
public final class PerfMain implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Pick a scenario: accept or deliver");
  }

  /** The command line with the converters every scenario uses. */
  static CommandLine newCommandLine() {
    return new CommandLine(new PerfMain())
        .registerConverter(Duration.class, DurationParser::parse)
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }
}
