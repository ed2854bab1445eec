package dev.shardhook.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Acceptance throughput: {@code concurrency} closed-loop clients each post a job due in 30 days (so
 * nothing is delivered) and wait for the answer before posting the next; with {@code --baseline
 * etcd}, the same closed loop of puts against a three-member etcd afterwards.
 */
@Command(
    name = "accept",
    mixinStandardHelpOptions = true,
    description = "Closed-loop POST /jobs throughput and latency (jobs due in 30 days), vs etcd.")
final class AcceptCommand implements Callable<Integer> {
  /** The baselines {@code accept} knows. */
  enum Baseline {
    NONE,
    ETCD
  }

  @Mixin RunOptions run;
  @Mixin JitWarmup jitWarmup;

  @Spec CommandSpec spec;

  @Option(
      names = "--shards",
      defaultValue = "1",
      description = "Shards of the sandbox (default ${DEFAULT-VALUE})")
  int shards;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Clients (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--payload",
      defaultValue = "512",
      description = "Job body bytes (default ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      description = "Measured time (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      // Four JVMs JIT-compiling on two cores need about half a minute: with 5 s the first runs
      // measured a quarter of the warm throughput.
      defaultValue = "30s",
      description = "Unmeasured time first, for each system (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--baseline",
      defaultValue = "none",
      description = "none or etcd (default ${DEFAULT-VALUE})")
  Baseline baseline;

  @Option(
      names = "--target",
      defaultValue = "http://127.0.0.1:9/never",
      description = "The jobs' webhook URL; never called (default ${DEFAULT-VALUE})")
  String target;

  private final ScenarioRunner.Streams streams;
  // Whether the clients sent an API key: the figure with keys and with --no-auth differ by its
  // cost.
  private boolean withApiKey;

  AcceptCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || payloadBytes < 0 || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--concurrency >= 1, --payload >= 0, --duration > 0");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    Path etcd = baseline == Baseline.ETCD ? Prerequisites.etcd() : null; // fail before the run
    String job =
        JobBodies.scheduledJob(
            target, Instant.now().plus(Duration.ofDays(30)), JobBodies.payload(payloadBytes));

    AcceptFigures ours;
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, null, null), console)) {
      jitWarmup.run(sut, console);
      console.say(
          "accept: %s, %d clients, %d-byte bodies, warm-up %ss, measuring %ss",
          sut.entry(), concurrency, payloadBytes, warmup.toSeconds(), duration.toSeconds());
      withApiKey = sut.apiKey().isPresent();
      ours = measureShardhook(sut, job, console);
    }
    AcceptFigures theirs = null;
    if (etcd != null) {
      theirs = measureEtcd(etcd, job, console);
    }
    return runner.finish(report(ours, theirs));
  }

  private AcceptFigures measureShardhook(Target sut, String job, Console console) throws Exception {
    byte[] body = job.getBytes(StandardCharsets.UTF_8);
    try (KeepAlivePoster http =
        new KeepAlivePoster(sut.entry(), Duration.ofSeconds(30), sut.apiKey().orElse(null))) {
      return new ClosedLoop("accept shardhook", concurrency, warmup, duration, console)
          .run(
              "shardhook",
              () -> {
                int status = http.post("/jobs", body);
                if (status != 201) {
                  throw new IOException("HTTP " + status);
                }
              });
    }
  }

  private AcceptFigures measureEtcd(Path etcd, String job, Console console) throws Exception {
    try (EtcdCluster cluster = EtcdCluster.start(etcd, 3, run.keepData, console);
        EtcdPuts puts = new EtcdPuts(cluster.clientUrls(), job)) {
      console.say(
          "accept: etcd %s, %d clients, %d-byte values",
          cluster.clientUrls(), concurrency, job.length());
      return new ClosedLoop("accept etcd", concurrency, warmup, duration, console)
          .run("etcd", puts);
    }
  }

  /**
   * {@code {"scenario":"accept","shardhook":{"opsPerSec","p50Ms","p99Ms",…},"baseline":{"name",
   * …}|null,"ratio",…}}: ratio = Shardhook's ops/s ÷ the baseline's.
   */
  static ResultLine resultLine(
      AcceptFigures ours,
      AcceptFigures theirs,
      int shards,
      int concurrency,
      int payloadBytes,
      Duration duration) {
    double ratio =
        theirs == null ? Double.NaN : Efficiency.ratio(ours.opsPerSec(), theirs.opsPerSec());
    return ResultLine.of("accept")
        .put("shardhook", ours.toJson(false))
        .put("baseline", theirs == null ? null : theirs.toJson(true))
        .put("ratio", ratio, 3)
        .put("shards", shards)
        .put("concurrency", concurrency)
        .put("payloadBytes", payloadBytes)
        .put("durationSeconds", duration.toNanos() / 1e9, 3);
  }

  private Report report(AcceptFigures ours, AcceptFigures theirs) {
    ResultLine result =
        resultLine(ours, theirs, shards, concurrency, payloadBytes, duration)
            .put("apiKey", withApiKey)
            .put("jitWarmupSeconds", jitWarmup.seconds(run));
    double ratio =
        theirs == null ? Double.NaN : Efficiency.ratio(ours.opsPerSec(), theirs.opsPerSec());
    List<AcceptFigures> all = new ArrayList<>(List.of(ours));
    if (theirs != null) {
      all.add(theirs);
    }
    MarkdownTable table =
        new MarkdownTable("system", "ops/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "errors");
    Map<String, Double> throughput = Charts.ordered();
    Map<String, List<Double>> latencies = Charts.ordered();
    for (AcceptFigures f : all) {
      table.row(
          f.system(),
          MarkdownTable.number(f.opsPerSec(), 1),
          MarkdownTable.number(f.p50Ms(), 2),
          MarkdownTable.number(f.latency().percentileMillis(90), 2),
          MarkdownTable.number(f.p99Ms(), 2),
          MarkdownTable.number(f.latency().percentileMillis(99.9), 2),
          f.errors());
      throughput.put(f.system(), f.opsPerSec());
      latencies.put(
          f.system(),
          List.of(
              f.p50Ms(),
              f.latency().percentileMillis(90),
              f.p99Ms(),
              f.latency().percentileMillis(99.9)));
    }
    String body =
        "## Result\n\n"
            + String.format(
                "%d closed-loop clients, %d-byte bodies, %d shard(s), %s s measured after %s s"
                    + " warm-up, %s.%n%n",
                concurrency,
                payloadBytes,
                shards,
                duration.toSeconds(),
                warmup.toSeconds(),
                withApiKey ? "every request with an API key" : "no API key (--no-auth)")
            + table
            + (theirs == null
                ? "\nNo baseline (add `--baseline etcd`).\n"
                : "\nRatio (Shardhook ÷ etcd ops/s): **" + MarkdownTable.number(ratio, 3) + "**\n");
    List<Charts.Named> charts =
        List.of(
            Charts.bars("accept-throughput", "Accepted per second", "ops/s", throughput),
            Charts.bars(
                "accept-latency",
                "Latency of acknowledged requests",
                "ms",
                List.of("p50", "p90", "p99", "p99.9"),
                latencies));
    boolean ok = ours.ok() > 0 && (theirs == null || theirs.ok() > 0);
    return new Report("accept", result, ResultLine.object(), body, charts, ok);
  }

  static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}
