package dev.shardhook.perf;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Submit → first attempt latency: jobs due at once are posted one by one ({@code POST /jobs}) at a
 * steady rate, a fraction (half, by default) of the most the entry accepts, and the sink stamps
 * each webhook's arrival; latency is arrival − the moment the job's request was sent, both on this
 * JVM's clock. The most the entry accepts is measured first, in a short closed loop of single
 * posts, unless {@code --rate} gives the steady rate itself.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = "Submit → first attempt latency at a fraction of the maximum accept rate.")
final class LatencyCommand implements Callable<Integer> {
  static final double GOAL_P50_MS = 10;
  static final double GOAL_P99_MS = 50;

  @Mixin RunOptions run;
  @Mixin JitWarmup jitWarmup;

  @Spec CommandSpec spec;

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
      names = "--rate",
      defaultValue = "0",
      description =
          "Jobs per second of the measured phase; 0: --fraction × the accept rate measured in a"
              + " first, closed-loop phase (default ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--fraction",
      defaultValue = "0.5",
      description =
          "Share of the measured maximum accept rate to run at (default ${DEFAULT-VALUE})")
  double fraction;

  @Option(
      names = "--probe-concurrency",
      defaultValue = "64",
      description = "Closed-loop clients of the maximum-rate phase (default ${DEFAULT-VALUE})")
  int probeConcurrency;

  @Option(
      names = "--probe",
      defaultValue = "8s",
      description = "Measured time of the maximum-rate phase (default ${DEFAULT-VALUE})")
  Duration probe;

  @Option(
      names = "--clients",
      defaultValue = "64",
      description = "Posting clients of the steady phase (default ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description = "Steady load before the measured window (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      description = "Measured window of the steady phase (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--latency-ms",
      defaultValue = "1",
      description = "Sink latency per request (default ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(
      names = "--payload",
      defaultValue = "64",
      description = "Job body bytes (default ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(
      names = "--settle",
      defaultValue = "10s",
      description =
          "After the load stops, wait at most this long for webhooks still on their way"
              + " (default ${DEFAULT-VALUE})")
  Duration settle;

  private final ScenarioRunner.Streams streams;

  LatencyCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  /** What the run measured, for the result line and the report. */
  record Figures(
      double maxAcceptRate,
      boolean rateMeasured,
      double rate,
      LatencyAccounting accounting,
      double measuredSeconds) {}

  @Override
  public Integer call() throws Exception {
    if (rate < 0
        || fraction <= 0
        || fraction > 1
        || workers < 1
        || clients < 1
        || probeConcurrency < 1
        || latencyMs < 0
        || duration.isZero()
        || duration.isNegative()) {
      throw new IllegalArgumentException(
          "--rate >= 0, --fraction in (0, 1], --workers, --clients, --probe-concurrency >= 1,"
              + " --latency-ms >= 0, --duration > 0");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String body = JobBodies.payload(payloadBytes);
    String tag = Long.toString(System.currentTimeMillis(), 36);
    Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    int hosts = Math.max(1, Math.min(250, (workers + 63) / 64));
    List<String> sinkHosts = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      sinkHosts.add("127.0.0." + i);
    }
    Figures figures;
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, workers, null), console);
        WebhookSink sink =
            WebhookSink.start(
                sinkHosts,
                0,
                Duration.ofMillis(latencyMs),
                r -> firstArrival.putIfAbsent(r.id(), r.arrivedNanos()))) {
      jitWarmup.run(sut, console);
      String apiKey = sut.apiKey().orElse(null);
      double max = Double.NaN;
      double steady = rate;
      if (rate == 0) {
        max = probeMaxRate(sut, sink, body, tag, console);
        steady = fraction * max;
        if (!(steady > 0)) {
          throw new IOException("the entry accepted nothing in the maximum-rate phase");
        }
      }
      console.say(
          "latency: steady %.1f jobs/s (%s), %d clients, warm-up %ss, measuring %ss",
          steady,
          rate == 0 ? String.format("%.2f × measured %.1f/s", fraction, max) : "--rate",
          clients,
          warmup.toSeconds(),
          duration.toSeconds());
      figures = measure(sut, apiKey, sink, body, tag, steady, max, firstArrival, console);
      if (figures.accounting().missing() > 0) {
        sut.markFailed();
      }
    }
    return runner.finish(report(figures));
  }

  /** Closed loop of single posts of jobs due at once; their webhooks drain before it returns. */
  private double probeMaxRate(
      Target sut, WebhookSink sink, String body, String tag, Console console) throws Exception {
    // the probe's webhooks must not queue ahead of the measured ones
    AcceptFigures probed =
        DueNowLoad.run(
            "latency max-rate",
            sut,
            sink,
            "probe-" + tag + "-",
            body,
            probeConcurrency,
            Duration.ofSeconds(2),
            probe,
            settle.multipliedBy(6),
            console);
    console.say(
        "latency: maximum accept rate %.1f jobs/s (p50 %.2f ms, p99 %.2f ms)",
        probed.opsPerSec(), probed.p50Ms(), probed.p99Ms());
    return probed.opsPerSec();
  }

  private Figures measure(
      Target sut,
      String apiKey,
      WebhookSink sink,
      String body,
      String tag,
      double steady,
      double max,
      Map<String, Long> firstArrival,
      Console console)
      throws Exception {
    long from;
    long to;
    try (SteadyLoad load =
        new SteadyLoad(
            sut.entries(),
            apiKey,
            steady,
            clients,
            sink.urls(),
            body,
            "lat-" + tag,
            Duration.ofSeconds(30),
            console)) {
      long start = System.nanoTime();
      from = start + warmup.toNanos();
      to = from + duration.toNanos();
      double total = to - start;
      try (Progress bar =
          Progress.start(
              console,
              "latency shardhook",
              () -> Math.min(1.0, (System.nanoTime() - start) / total),
              () -> "accepted=" + load.acknowledgedCount() + " delivered=" + sink.distinct())) {
        load.start();
        long left;
        while ((left = to - System.nanoTime()) > 0) {
          Thread.sleep(Math.max(1, Math.min(200, left / 1_000_000)));
        }
        load.stop();
      }
      long deadline = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < deadline
          && !load.acknowledged().stream().allMatch(firstArrival::containsKey)) {
        Thread.sleep(100);
      }
      LatencyAccounting accounting =
          LatencyAccounting.of(load.accepted(), Map.copyOf(firstArrival), from, to);
      return new Figures(max, rate == 0, steady, accounting, duration.toNanos() / 1e9);
    }
  }

  /**
   * {@code {"scenario":"latency","shardhook":{"p50Ms","p90Ms","p99Ms","p999Ms","maxMs",
   * "measured","arrived","missing"},"rate","rateSource":"measured"|"given","maxAcceptRate",…}}.
   */
  static ResultLine resultLine(
      Figures f, double fraction, int shards, int workers, long latencyMs, int clients) {
    LatencyAccounting a = f.accounting();
    LatencyRecorder l = a.latency();
    double p50 = l.percentileMillis(50);
    double p99 = l.percentileMillis(99);
    return ResultLine.of("latency")
        .put(
            "shardhook",
            ResultLine.object()
                .put("p50Ms", p50, 3)
                .put("p90Ms", l.percentileMillis(90), 3)
                .put("p99Ms", p99, 3)
                .put("p999Ms", l.percentileMillis(99.9), 3)
                .put("maxMs", l.maxMillis(), 3)
                .put("measured", a.measured())
                .put("arrived", a.arrived())
                .put("missing", a.missing())
                .put("acceptP50Ms", a.accept().percentileMillis(50), 3)
                .put("acceptP99Ms", a.accept().percentileMillis(99), 3)
                .put("afterAcceptP50Ms", a.afterAccept().percentileMillis(50), 3)
                .put("afterAcceptP99Ms", a.afterAccept().percentileMillis(99), 3))
        .put("rate", f.rate(), 1)
        .put("rateSource", f.rateMeasured() ? "measured" : "given")
        .put("maxAcceptRate", f.maxAcceptRate(), 1)
        .put("fraction", f.rateMeasured() ? fraction : Double.NaN, 3)
        .put("goalP50Ms", GOAL_P50_MS, 0)
        .put("goalP99Ms", GOAL_P99_MS, 0)
        .put("goalMet", p50 <= GOAL_P50_MS && p99 <= GOAL_P99_MS)
        .put("shards", shards)
        .put("workers", workers)
        .put("latencyMs", latencyMs)
        .put("clients", clients)
        .put("durationSeconds", f.measuredSeconds(), 3);
  }

  private static List<Double> percentiles(LatencyRecorder r) {
    return List.of(
        r.percentileMillis(50),
        r.percentileMillis(90),
        r.percentileMillis(99),
        r.percentileMillis(99.9));
  }

  private Report report(Figures f) {
    ResultLine result =
        resultLine(f, fraction, shards, workers, latencyMs, clients)
            .put("jitWarmupSeconds", jitWarmup.seconds(run));
    LatencyAccounting a = f.accounting();
    LatencyRecorder l = a.latency();
    MarkdownTable table =
        new MarkdownTable(
            "jobs/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "measured", "missing");
    table.row(
        MarkdownTable.number(f.rate(), 1),
        MarkdownTable.number(l.percentileMillis(50), 2),
        MarkdownTable.number(l.percentileMillis(90), 2),
        MarkdownTable.number(l.percentileMillis(99), 2),
        MarkdownTable.number(l.percentileMillis(99.9), 2),
        MarkdownTable.number(l.maxMillis(), 2),
        a.measured(),
        a.missing());
    String rateText =
        f.rateMeasured()
            ? String.format(
                "%s × the maximum accept rate measured first (%s jobs/s, %d closed-loop clients"
                    + " posting single jobs for %s s)",
                MarkdownTable.number(fraction, 2),
                MarkdownTable.number(f.maxAcceptRate(), 1),
                probeConcurrency,
                probe.toSeconds())
            : "given by --rate";
    String body =
        "## Result\n\n"
            + String.format(
                "Jobs due at once posted one per request at %s jobs/s, %s; %d shard(s), %d"
                    + " worker(s) per leader, sink latency %d ms; %s s measured after %s s"
                    + " warm-up. Latency: from just before the job's POST /jobs was sent to its"
                    + " webhook's first arrival at the sink, one clock. Goal p50 ≤ %s ms, p99 ≤ %s"
                    + " ms.%n%n",
                MarkdownTable.number(f.rate(), 1),
                rateText,
                shards,
                workers,
                latencyMs,
                duration.toSeconds(),
                warmup.toSeconds(),
                MarkdownTable.number(GOAL_P50_MS, 0),
                MarkdownTable.number(GOAL_P99_MS, 0))
            + table
            + String.format(
                "%nOf which submit → 201: p50 %s ms, p99 %s ms (the accept path); 201 → first"
                    + " arrival: p50 %s ms, p99 %s ms (commit, apply, dispatcher, delivery).%n",
                MarkdownTable.number(a.accept().percentileMillis(50), 2),
                MarkdownTable.number(a.accept().percentileMillis(99), 2),
                MarkdownTable.number(a.afterAccept().percentileMillis(50), 2),
                MarkdownTable.number(a.afterAccept().percentileMillis(99), 2));
    Map<String, List<Double>> bars = Charts.ordered();
    bars.put("submit → first arrival", percentiles(l));
    bars.put("submit → 201", percentiles(a.accept()));
    bars.put("201 → arrival", percentiles(a.afterAccept()));
    bars.put("goal", List.of(GOAL_P50_MS, Double.NaN, GOAL_P99_MS, Double.NaN));
    Map<String, List<double[]>> overTime = Charts.ordered();
    overTime.put(
        "p50", a.perSecond().stream().map(s -> new double[] {s.second(), s.p50Ms()}).toList());
    overTime.put(
        "p99", a.perSecond().stream().map(s -> new double[] {s.second(), s.p99Ms()}).toList());
    ResultLine details =
        ResultLine.object()
            .putNumbers("second", a.perSecond().stream().map(s -> s.second()).toList(), 0)
            .putNumbers("jobs", a.perSecond().stream().map(s -> (double) s.jobs()).toList(), 0)
            .putNumbers("p50Ms", a.perSecond().stream().map(s -> s.p50Ms()).toList(), 3)
            .putNumbers("p99Ms", a.perSecond().stream().map(s -> s.p99Ms()).toList(), 3);
    List<Charts.Named> charts =
        List.of(
            Charts.bars(
                "latency-percentiles",
                "Submit → first attempt",
                "ms",
                List.of("p50", "p90", "p99", "p99.9"),
                bars),
            Charts.lines(
                "latency-over-time",
                "Submit → first attempt per second of the window",
                "second (by submit time)",
                "ms",
                overTime,
                "",
                List.of()));
    boolean ok = a.arrived() > 0 && a.missing() == 0;
    return new Report("latency", result, details, body, charts, ok);
  }
}
