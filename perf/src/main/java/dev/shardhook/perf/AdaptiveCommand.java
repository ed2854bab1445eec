package dev.shardhook.perf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Adaptive concurrency (README, "Destinations"): {@code --jobs} jobs, all due at once on one shard,
 * for a receiver that takes {@code --capacity} requests at once for {@code --latency-ms} each and
 * answers {@code 429} beyond, with the nodes' {@code --per-host-concurrency} far above it. After
 * the warm-up, at most 5% of attempts may get {@code 429} and the deliveries must reach 90% of what
 * the receiver allows.
 */
@Command(
    name = "adaptive",
    mixinStandardHelpOptions = true,
    description =
        "AIMD per destination against a receiver that takes 20 at once and answers 429 beyond.")
final class AdaptiveCommand implements Callable<Integer> {
  static final double TARGET_REFUSED_SHARE = 0.05;
  static final double TARGET_EFFICIENCY = 0.9;

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--jobs",
      defaultValue = "12000",
      description = "Jobs, all due at once (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--capacity",
      defaultValue = "20",
      description = "Requests the receiver takes at once (default ${DEFAULT-VALUE})")
  int capacity;

  @Option(
      names = "--latency-ms",
      defaultValue = "50",
      description = "The receiver's latency per request (default ${DEFAULT-VALUE})")
  int latencyMs;

  @Option(
      names = "--per-host-concurrency",
      defaultValue = "200",
      description = "The nodes' --per-host-concurrency (default ${DEFAULT-VALUE})")
  int perHost;

  @Option(
      names = "--workers",
      defaultValue = "256",
      description = "Delivery workers per leader (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--warmup",
      defaultValue = "10s",
      description = "Left out of the summary, from the first request (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      description = "Give up waiting for the deliveries after (default ${DEFAULT-VALUE})")
  Duration timeout;

  private final ScenarioRunner.Streams streams;

  AdaptiveCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (jobs < 1 || capacity < 1 || latencyMs < 1 || perHost < 1 || workers < 1) {
      throw new IllegalArgumentException(
          "--jobs, --capacity, --latency-ms, --per-host-concurrency and --workers must be >= 1");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    AdaptiveAccounting accounting;
    try (Target sut =
            Target.open(
                run,
                new Sandbox.Spec(1, workers, null),
                java.util.Map.of("SHARDHOOK_PER_HOST_CONCURRENCY", Integer.toString(perHost)),
                console);
        CappedReceiver receiver = new CappedReceiver(capacity, Duration.ofMillis(latencyMs));
        NodeHttp http = sut.http(Duration.ofSeconds(60))) {
      // All due at one time, after the submissions (about 5,000 a second here); those that
      // arrive later are due at once.
      Instant dueAt = Instant.now().plusMillis(3_000 + jobs / 5L);
      console.say(
          "adaptive: %d jobs due at %s for %s (%d at once, %d ms each, 429 beyond);"
              + " per-host-concurrency %d",
          jobs, dueAt, receiver.url(), capacity, latencyMs, perHost);
      List<BatchSubmitter.PendingJob> all = new ArrayList<>(jobs);
      for (int i = 0; i < jobs; i++) {
        String id = "adaptive-" + tag + "-" + i;
        all.add(new BatchSubmitter.PendingJob(id, JobBodies.storedJob(id, receiver.url(), dueAt)));
      }
      AtomicLong accepted = new AtomicLong();
      new BatchSubmitter(http, 500, 4, Duration.ofSeconds(60), console.err())
          .submitAll(all, id -> accepted.incrementAndGet());
      console.say("%d jobs accepted; waiting for their deliveries", accepted.get());
      long deadline = System.nanoTime() + timeout.toNanos();
      long lastSaid = 0;
      while (receiver.totalTaken() < accepted.get() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        if (System.nanoTime() - lastSaid > 5_000_000_000L) {
          lastSaid = System.nanoTime();
          console.say("delivered %d of %d", receiver.totalTaken(), accepted.get());
        }
      }
      accounting = receiver.accounting(accepted.get(), (int) warmup.toSeconds());
      if (receiver.totalTaken() < accepted.get()) {
        console.say(
            "only %d of %d delivered within %s", receiver.totalTaken(), accepted.get(), timeout);
        sut.markFailed();
      }
    }
    return runner.finish(report(accounting));
  }

  private Report report(AdaptiveAccounting a) {
    double share = a.refusedShare();
    double efficiency = a.efficiency();
    List<Integer> window = a.window();
    ResultLine result =
        ResultLine.of("adaptive")
            .put("jobs", a.jobs())
            .put("capacity", capacity)
            .put("latencyMs", latencyMs)
            .put("perHostConcurrency", perHost)
            .put("windowSeconds", window.size())
            .put("refusedShare", share, 4)
            .put("throughputPerSecond", a.throughput(), 1)
            .put("capacityPerSecond", a.capacityPerSecond(), 1)
            .put("efficiency", efficiency, 3)
            .put("targetRefusedShare", TARGET_REFUSED_SHARE, 2)
            .put("targetEfficiency", TARGET_EFFICIENCY, 2);
    List<Double> attempts = new ArrayList<>();
    List<Double> refusedShare = new ArrayList<>();
    List<Double> taken = new ArrayList<>();
    MarkdownTable series = new MarkdownTable("second", "attempts", "429 share", "delivered");
    for (int s = 0; s < a.attempts().length; s++) {
      attempts.add((double) a.attempts()[s]);
      double r = a.attempts()[s] == 0 ? 0 : (double) a.refused()[s] / a.attempts()[s];
      refusedShare.add(r);
      taken.add((double) a.taken()[s]);
      series.row(
          Integer.toString(s),
          Long.toString(a.attempts()[s]),
          MarkdownTable.number(r * 100, 1) + "%",
          Long.toString(a.taken()[s]));
    }
    ResultLine details =
        ResultLine.object()
            .putNumbers("attemptsPerSecond", attempts, 0)
            .putNumbers("refusedSharePerSecond", refusedShare, 4)
            .putNumbers("deliveredPerSecond", taken, 0);
    String body =
        "## Result\n\n"
            + String.format(
                "%d jobs due at once for a receiver that takes %d requests at once (%d ms each) and"
                    + " answers 429 beyond; the node may send up to %d at once. Over seconds %s"
                    + " (after the %d s warm-up, while at least a second of work was left):"
                    + " 429 share %.2f%% (target at most %.0f%%), %.1f deliveries/s of %.1f"
                    + " allowed: %.1f%% (target at least %.0f%%).%n%n",
                a.jobs(),
                capacity,
                latencyMs,
                perHost,
                window.isEmpty() ? "none" : window.getFirst() + ".." + window.getLast(),
                a.warmupSeconds(),
                share * 100,
                TARGET_REFUSED_SHARE * 100,
                a.throughput(),
                a.capacityPerSecond(),
                efficiency * 100,
                TARGET_EFFICIENCY * 100)
            + "### Per second\n\n"
            + series;
    boolean ok =
        !window.isEmpty() && share <= TARGET_REFUSED_SHARE && efficiency >= TARGET_EFFICIENCY;
    return new Report("adaptive", result, details, body, List.of(), ok);
  }
}
