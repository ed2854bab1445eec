package dev.shardhook.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Delivery throughput: a {@link WebhookSink} with a fixed latency receives {@code jobs} webhooks
 * submitted up front, measured from the first submission to the last first delivery; with {@code
 * --baseline db-scheduler}, the same webhooks through db-scheduler on PostgreSQL afterwards.
 */
@Command(
    name = "deliver",
    mixinStandardHelpOptions = true,
    description = "Submit N jobs at a local webhook sink and measure delivery throughput.")
final class DeliverCommand implements Callable<Integer> {
  /** The baselines {@code deliver} knows. */
  enum Baseline {
    NONE,
    DB_SCHEDULER
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
      names = "--workers",
      defaultValue = "64",
      description =
          "Delivery workers per leader; db-scheduler gets as many threads (times --shards)"
              + " (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--latency-ms",
      defaultValue = "100",
      description = "Sink latency per request (default ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(names = "--jobs", defaultValue = "20000", description = "Jobs (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--warmup-jobs",
      defaultValue = "5000",
      description =
          "Jobs delivered first, unmeasured, through each system, so JIT warm-up is not measured"
              + " (default ${DEFAULT-VALUE}; 0: none)")
  int warmupJobs;

  @Option(
      names = "--baseline",
      defaultValue = "none",
      converter = BaselineConverter.class,
      description = "none or db-scheduler (default ${DEFAULT-VALUE})")
  Baseline baseline;

  @Option(
      names = "--sink-hosts",
      defaultValue = "0",
      description =
          "Loopback addresses the sink listens on (127.0.0.1..N), jobs spread over them; 0: just"
              + " enough that the node's per-host limit (--per-host-concurrency) does not bind")
  int sinkHosts;

  @Option(
      names = "--per-host-concurrency",
      defaultValue = "64",
      description = "The node's per-destination-host limit (default ${DEFAULT-VALUE})")
  int perHostConcurrency;

  @Option(
      names = "--sink-port",
      defaultValue = "0",
      description = "Sink port; 0: a free one (default ${DEFAULT-VALUE})")
  int sinkPort;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      description = "Jobs per POST /jobs:batch (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--submitters",
      defaultValue = "4",
      description = "Concurrent batch requests (default ${DEFAULT-VALUE})")
  int submitters;

  @Option(
      names = "--payload",
      defaultValue = "64",
      description = "Job body bytes (default ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      description = "Give up waiting for deliveries after (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--due-in",
      defaultValue = "0s",
      description =
          "0: jobs due at once, measured from the first submission; else every measured job is"
              + " due this long after its run starts (longer than submitting them all takes), and"
              + " the time is measured from then: delivery alone (default ${DEFAULT-VALUE})")
  Duration dueIn;

  @Option(
      names = "--settle",
      defaultValue = "2s",
      description =
          "Keep listening this long after the last delivery, for duplicates"
              + " (default ${DEFAULT-VALUE})")
  Duration settle;

  private final ScenarioRunner.Streams streams;

  DeliverCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (jobs < 1
        || latencyMs < 0
        || workers < 1
        || sinkHosts < 0
        || sinkHosts > 250
        || batchSize < 1) {
      throw new IllegalArgumentException(
          "--jobs >= 1, --workers >= 1, --latency-ms >= 0, --sink-hosts 0..250, --batch-size >= 1");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    Path postgres = baseline == Baseline.DB_SCHEDULER ? Prerequisites.postgresBin() : null;
    int totalWorkers = shards * workers;
    List<String> hosts = sinkHosts(sinkHosts == 0 ? autoSinkHosts() : sinkHosts);
    if (workers > perHostConcurrency * hosts.size()) {
      console.say(
          "note: %d host(s) × %d per host < %d workers: the node's per-host limit caps deliveries"
              + " below the bound",
          hosts.size(), perHostConcurrency, workers);
    }
    DeliveryRun deliveryRun = new DeliveryRun(timeout, settle, console);
    String body = JobBodies.payload(payloadBytes);
    String tag = Long.toString(System.currentTimeMillis(), 36);

    DeliverFigures ours;
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, workers, null), console);
        WebhookSink sink = WebhookSink.start(hosts, sinkPort, Duration.ofMillis(latencyMs));
        NodeHttp http = sut.http(Duration.ofSeconds(60))) {
      jitWarmup.run(sut, console);
      console.say(
          "deliver: %d jobs to %s, sink %s (%d ms per request), %d worker(s) per leader",
          jobs, sut.entry(), sink.urls(), latencyMs, workers);
      BatchSubmitter batches =
          new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(60), console.err());
      warmUp(
          "shardhook",
          deliveryRun,
          hosts,
          tag + "-sh",
          body,
          new ShardhookSubmitter(
              new BatchSubmitter(
                  http, batchSize, submitters, Duration.ofSeconds(60), console.err())));
      Instant dueAt = dueAt();
      ours =
          deliveryRun.measure(
              "shardhook",
              sink,
              due(WebhookJob.spread("perf-" + tag + "-sh", jobs, sink.urls(), body), dueAt),
              new ShardhookSubmitter(batches),
              dueAt);
      if (ours.accounting().lost() > 0) {
        sut.markFailed();
      }
    }
    DeliverFigures theirs = null;
    if (postgres != null) {
      theirs = measureDbScheduler(postgres, deliveryRun, hosts, totalWorkers, tag, body, console);
    }
    return runner.finish(report(ours, theirs, totalWorkers, hosts.size()));
  }

  private DeliverFigures measureDbScheduler(
      Path postgres,
      DeliveryRun deliveryRun,
      List<String> hosts,
      int threads,
      String tag,
      String body,
      Console console)
      throws Exception {
    try (PostgresServer db =
            PostgresServer.start(
                postgres, DbSchedulerDeliveries.maxConnections(threads), run.keepData, console);
        DbSchedulerDeliveries scheduler = DbSchedulerDeliveries.start(db.jdbcUrl(), threads);
        WebhookSink sink = WebhookSink.start(hosts, sinkPort, Duration.ofMillis(latencyMs))) {
      console.say(
          "deliver: %d jobs through db-scheduler (%d threads) on PostgreSQL", jobs, threads);
      warmUp("db-scheduler", deliveryRun, hosts, tag + "-dbs", body, scheduler);
      Instant dueAt = dueAt();
      return deliveryRun.measure(
          "db-scheduler",
          sink,
          due(WebhookJob.spread("perf-" + tag + "-dbs", jobs, sink.urls(), body), dueAt),
          scheduler,
          dueAt);
    }
  }

  /**
   * Delivers {@code --warmup-jobs} jobs through the system to a sink of their own and forgets the
   * figures: the JVMs' JIT compilation would otherwise be part of what is measured.
   */
  private void warmUp(
      String system,
      DeliveryRun deliveryRun,
      List<String> hosts,
      String tag,
      String body,
      DeliveryRun.Submitter submitter)
      throws Exception {
    if (warmupJobs <= 0) {
      return;
    }
    try (WebhookSink warmSink = WebhookSink.start(hosts, 0, Duration.ofMillis(latencyMs))) {
      deliveryRun.measure(
          system + " warm-up",
          warmSink,
          WebhookJob.spread("warm-" + tag, warmupJobs, warmSink.urls(), body),
          submitter);
    }
  }

  /** When the measured jobs are due: null (at once) unless {@code --due-in}. */
  private Instant dueAt() {
    return dueIn.isZero() || dueIn.isNegative() ? null : Instant.now().plus(dueIn);
  }

  private static List<WebhookJob> due(List<WebhookJob> jobs, Instant dueAt) {
    return dueAt == null ? jobs : WebhookJob.dueAt(jobs, dueAt);
  }

  /** Enough sink hosts that one leader's workers never wait for the per-host limit. */
  int autoSinkHosts() {
    return Math.max(1, Math.min(250, (workers + perHostConcurrency - 1) / perHostConcurrency));
  }

  private static List<String> sinkHosts(int count) {
    List<String> hosts = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      hosts.add("127.0.0." + i);
    }
    return hosts;
  }

  /**
   * {@code {"scenario":"deliver","shardhook":{"deliveriesPerSec","bound","efficiency",
   * "duplicates","lost",…},"baseline":{"name","deliveriesPerSec",…}|null,"ratio",…}}: ratio =
   * Shardhook's deliveries/s ÷ the baseline's.
   */
  static ResultLine resultLine(
      DeliverFigures ours,
      DeliverFigures theirs,
      double bound,
      int shards,
      int workers,
      long latencyMs,
      int jobs,
      int sinkHosts) {
    double ratio =
        theirs == null
            ? Double.NaN
            : Efficiency.ratio(ours.deliveriesPerSec(), theirs.deliveriesPerSec());
    return ResultLine.of("deliver")
        .put("shardhook", ours.toJson(false, bound))
        .put("baseline", theirs == null ? null : theirs.toJson(true, bound))
        .put("ratio", ratio, 3)
        .put("shards", shards)
        .put("workers", workers)
        .put("latencyMs", latencyMs)
        .put("jobs", jobs)
        .put("sinkHosts", sinkHosts);
  }

  private Report report(DeliverFigures ours, DeliverFigures theirs, int totalWorkers, int hosts) {
    double bound = Efficiency.deliveryBound(totalWorkers, latencyMs);
    double ratio =
        theirs == null
            ? Double.NaN
            : Efficiency.ratio(ours.deliveriesPerSec(), theirs.deliveriesPerSec());
    ResultLine result =
        resultLine(ours, theirs, bound, shards, workers, latencyMs, jobs, hosts)
            .put("dueInSeconds", dueIn.toMillis() / 1000.0, 3)
            .put("jitWarmupSeconds", jitWarmup.seconds(run));
    List<DeliverFigures> all = new ArrayList<>(List.of(ours));
    if (theirs != null) {
      all.add(theirs);
    }
    MarkdownTable table =
        new MarkdownTable(
            "system", "deliveries/s", "efficiency", "seconds", "delivered", "lost", "duplicates");
    Map<String, Double> throughput = Charts.ordered();
    Map<String, List<double[]>> progress = Charts.ordered();
    ResultLine details = ResultLine.object();
    for (DeliverFigures f : all) {
      table.row(
          f.system(),
          MarkdownTable.number(f.deliveriesPerSec(), 1),
          MarkdownTable.number(Efficiency.ofBound(f.deliveriesPerSec(), bound), 3),
          MarkdownTable.number(f.seconds(), 2),
          f.accounting().delivered() + " / " + f.jobs(),
          f.accounting().lost(),
          f.accounting().duplicates());
      throughput.put(f.system(), f.deliveriesPerSec());
      progress.put(
          f.system() + " delivered",
          f.timeline().stream().map(s -> new double[] {s.seconds(), s.delivered()}).toList());
      details.put(f.system(), timelineJson(f));
    }
    throughput.put("bound", bound);
    String body =
        "## Result\n\n"
            + String.format(
                "%d jobs, sink latency %d ms, %d worker(s) per leader × %d shard(s) (db-scheduler:"
                    + " %d threads), bound %s deliveries/s.%n%n",
                jobs, latencyMs, workers, shards, totalWorkers, MarkdownTable.number(bound, 0))
            + (dueIn.isZero()
                ? ""
                : "Every measured job was due "
                    + dueIn.toMillis() / 1000.0
                    + " s after its run started (`--due-in`): seconds run from then to the last"
                    + " first delivery.\n\n")
            + table
            + (theirs == null
                ? "\nNo baseline (add `--baseline db-scheduler`).\n"
                : "\nRatio (Shardhook ÷ db-scheduler deliveries/s): **"
                    + MarkdownTable.number(ratio, 3)
                    + "**\n");
    List<Charts.Named> charts =
        List.of(
            Charts.bars("deliver-throughput", "Deliveries per second", "deliveries/s", throughput),
            Charts.lines(
                "deliver-progress",
                "Jobs delivered since the first submission",
                "seconds",
                "jobs delivered",
                progress,
                "",
                List.of()));
    boolean ok =
        ours.accounting().lost() == 0
            && ours.accounting().delivered() > 0
            && (theirs == null || theirs.accounting().lost() == 0);
    return new Report("deliver", result, details, body, charts, ok);
  }

  private static ResultLine timelineJson(DeliverFigures f) {
    return ResultLine.object()
        .putNumbers("seconds", f.timeline().stream().map(DeliveryRun.Sample::seconds).toList(), 3)
        .putNumbers("accepted", f.timeline().stream().map(s -> (double) s.accepted()).toList(), 0)
        .putNumbers(
            "delivered", f.timeline().stream().map(s -> (double) s.delivered()).toList(), 0);
  }

  /** Accepts {@code db-scheduler} (and {@code db_scheduler}, {@code none}). */
  static final class BaselineConverter implements ITypeConverter<Baseline> {
    @Override
    public Baseline convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "none" -> Baseline.NONE;
        case "db-scheduler", "db_scheduler", "dbscheduler" -> Baseline.DB_SCHEDULER;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a deliver baseline (none or db-scheduler)");
      };
    }
  }
}
