package dev.shardhook.perf;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Warms a sandbox the scenario just started before anything is measured: jobs due at once, sent
 * through the entry and delivered to a 1 ms receiver, so the nodes' and proxies' JIT compilers have
 * compiled the submit, replication, delivery, outcome and history paths. On the 2-core development
 * machine five JVMs compile for one to two minutes after start; without this a run measured the
 * compilers as much as the code (accept after 30 s: 2,000 jobs/s; after 90 s: 3,100/s). A sandbox
 * given with --sandbox or --entry is taken as it is.
 *
 * <p>A picocli mixin of the scenarios that measure throughput or latency against a sandbox.
 */
final class JitWarmup {
  private static final int CLIENTS = 32;
  private static final Duration DRAIN = Duration.ofSeconds(60);

  @Option(
      names = "--jit-warmup",
      defaultValue = "60s",
      description =
          "Before anything is measured, load a sandbox this run started with jobs due at once"
              + " for this long, unmeasured, so its JVMs are compiled (default ${DEFAULT-VALUE};"
              + " 0s: none)")
  Duration time = Duration.ofSeconds(60);

  /** The warm-up a run with {@code run}'s options gets, in seconds: 0 on a given sandbox. */
  long seconds(RunOptions run) {
    return run.entry != null || run.sandboxDir != null ? 0 : Math.max(0, time.toSeconds());
  }

  /** Runs the warm-up against {@code sut}, if this run started its sandbox. */
  void run(Target sut, Console console) throws Exception {
    if (time.isZero() || time.isNegative() || !sut.startedHere()) {
      return;
    }
    console.say(
        "JIT warm-up: %ss of jobs due at once, delivered to a 1 ms receiver, unmeasured"
            + " (--jit-warmup 0s skips it)",
        time.toSeconds());
    try (WebhookSink sink = WebhookSink.start(List.of("127.0.0.1"), 0, Duration.ofMillis(1))) {
      DueNowLoad.run(
          "JIT warm-up",
          sut,
          sink,
          "jit-" + Long.toString(System.currentTimeMillis(), 36) + "-",
          JobBodies.payload(512),
          CLIENTS,
          Duration.ZERO,
          time,
          DRAIN,
          console);
      console.say("JIT warm-up: %d jobs delivered", sink.distinct());
    }
  }
}
