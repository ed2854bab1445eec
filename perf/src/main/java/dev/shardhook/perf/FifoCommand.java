package dev.shardhook.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * FIFO per ordering key (README, "Ordering"): {@code --jobs} ordered jobs over {@code --keys} keys
 * through the proxy, to a receiver with a fixed latency; reports deliveries per second and whether
 * each key's order held at the receiver.
 */
@Command(
    name = "fifo",
    mixinStandardHelpOptions = true,
    description = "Ordered jobs over K keys: deliveries/s, and the order checked at the receiver.")
final class FifoCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--keys",
      defaultValue = "1",
      description = "Ordering keys the jobs are spread over (default ${DEFAULT-VALUE})")
  int keys;

  @Option(
      names = "--jobs",
      defaultValue = "2000",
      description = "Ordered jobs in all (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--latency-ms",
      defaultValue = "10",
      description = "Receiver latency per request (default ${DEFAULT-VALUE})")
  int latencyMs;

  @Option(
      names = "--shards",
      defaultValue = "1",
      description = "Shards of the sandbox (default ${DEFAULT-VALUE})")
  int shards;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "Delivery workers per leader (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--timeout",
      defaultValue = "600s",
      description = "Give up waiting for the deliveries after (default ${DEFAULT-VALUE})")
  Duration timeout;

  private final ScenarioRunner.Streams streams;

  FifoCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  /** Job ids {@code f<tag>-<key>-<n>}: the receiver reads key and number back from them. */
  static String id(String tag, int key, int n) {
    return "f" + tag + "-" + key + "-" + n;
  }

  /** Key and number of an id made by {@link #id}, or null for any other. */
  static int[] parse(String id) {
    String[] parts = id.split("-");
    if (parts.length != 3) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (keys < 1 || jobs < keys || latencyMs < 0 || workers < 1 || shards < 1) {
      throw new IllegalArgumentException(
          "--keys >= 1, --jobs >= --keys, --latency-ms >= 0, --workers >= 1, --shards >= 1");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    FifoAccounting accounting = new FifoAccounting();
    FifoAccounting.Figures figures;
    long accepted;
    double submitSeconds;
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, workers, null), console);
        WebhookSink sink =
            WebhookSink.start(
                List.of("127.0.0.1"),
                0,
                Duration.ofMillis(latencyMs),
                r -> {
                  int[] kn = parse(r.id());
                  if (kn != null) {
                    accounting.arrived(kn[0], kn[1], r.arrivedNanos());
                  }
                });
        NodeHttp http = sut.http(Duration.ofSeconds(60))) {
      String url = sink.urls().get(0).toString();
      console.say(
          "fifo: %d ordered jobs over %d key(s), receiver latency %d ms, %d shard(s)",
          jobs, keys, latencyMs, shards);
      // Interleaved over the keys, as concurrent producers would send them; one batch at a time,
      // so acceptance order is this order and the receiver can check it.
      List<BatchSubmitter.PendingJob> all = new ArrayList<>(jobs);
      for (int i = 0; i < jobs; i++) {
        int key = i % keys;
        String id = id(tag, key, i / keys);
        String json =
            JobBodies.immediateJob(id, url, "{}")
                .replace("{\"id\"", "{\"orderingKey\":\"k" + key + "\",\"id\"");
        all.add(new BatchSubmitter.PendingJob(id, json));
      }
      long start = System.nanoTime();
      BatchSubmitter submitter =
          new BatchSubmitter(http, 500, 1, Duration.ofSeconds(120), console.err());
      submitter.submitAll(all, id -> {});
      accepted = submitter.accepted();
      submitSeconds = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (accounting.delivered() < accepted && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      figures = accounting.figures(start);
      if (figures.delivered() < jobs || figures.outOfOrder() > 0) {
        sut.markFailed();
      }
    }
    return runner.finish(report(figures, accepted, submitSeconds));
  }

  private Report report(FifoAccounting.Figures f, long accepted, double submitSeconds) {
    ResultLine result =
        ResultLine.of("fifo")
            .put("keys", keys)
            .put("jobs", jobs)
            .put("latencyMs", latencyMs)
            .put("shards", shards)
            .put("accepted", accepted)
            .put("delivered", f.delivered())
            .put("repeats", f.repeats())
            .put("outOfOrder", f.outOfOrder())
            .put("orderHeld", f.outOfOrder() == 0)
            .put("submitSeconds", submitSeconds, 2)
            .put("seconds", f.seconds(), 2)
            .put("deliveriesPerSecond", f.perSecond(), 1);
    MarkdownTable table =
        new MarkdownTable("keys", "jobs", "delivered", "deliveries/s", "out of order", "repeats");
    table.row(
        Integer.toString(keys),
        Integer.toString(jobs),
        Long.toString(f.delivered()),
        MarkdownTable.number(f.perSecond(), 1),
        Long.toString(f.outOfOrder()),
        Long.toString(f.repeats()));
    String body =
        "## Result\n\n"
            + String.format(
                "%d ordered jobs over %d key(s) through the proxy, receiver latency %d ms, %d"
                    + " shard(s), %d worker(s); from the first submission to the last first"
                    + " delivery (submitting took %.2f s). Order checked at the receiver.%n%n",
                jobs, keys, latencyMs, shards, workers, submitSeconds)
            + table;
    boolean ok = f.delivered() == jobs && f.outOfOrder() == 0;
    return new Report("fifo", result, ResultLine.object(), body, List.of(), ok);
  }
}
