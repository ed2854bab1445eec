package dev.shardhook.perf;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The history exporter's throughput into PostgreSQL against the shard's accept rate (README, "Job
 * history"): starts PostgreSQL and a sandbox whose nodes export to it, submits jobs due at once as
 * fast as the batch submitter goes to a sink that answers at once, and samples the leaders'
 * exported-rows counter and lag while they arrive, are delivered and are exported; at the end it
 * counts the rows in PostgreSQL (every job exactly once).
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "History export rows/s into PostgreSQL against accepted and delivered jobs/s.")
final class HistoryCommand implements Callable<Integer> {
  /** A tail this short after the last delivery means the exporter kept up with the deliveries. */
  static final double KEEP_UP_TAIL_SECONDS = 2.0;

  private static final long SAMPLE_MS = 200;

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--shards",
      defaultValue = "1",
      description = "Shards of the sandbox (default ${DEFAULT-VALUE})")
  int shards;

  @Option(
      names = "--jobs",
      defaultValue = "20000",
      description = "Jobs measured (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--warmup-jobs",
      defaultValue = "5000",
      description =
          "Jobs accepted, delivered and exported first, unmeasured, so JIT warm-up is not measured"
              + " (default ${DEFAULT-VALUE}; 0: none)")
  int warmupJobs;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "Delivery workers per leader (default ${DEFAULT-VALUE})")
  int workers;

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
      defaultValue = "600s",
      description =
          "Give up waiting for deliveries and exports after (default ${DEFAULT-VALUE}, from the"
              + " first submission)")
  Duration timeout;

  private final ScenarioRunner.Streams streams;

  HistoryCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  /**
   * What one phase measured; times are seconds from the first submission.
   *
   * @param ids the jobs acknowledged
   * @param acceptSeconds until the last submission was answered
   * @param deliverSeconds until the last job was first delivered
   */
  record Phase(
      Set<String> ids,
      long submitErrors,
      double acceptSeconds,
      double deliverSeconds,
      DeliveryAccounting deliveries,
      ExportTimeline timeline) {}

  @Override
  public Integer call() throws Exception {
    if (run.entry != null || run.sandboxDir != null) {
      throw new ParameterException(
          spec.commandLine(),
          "history points the nodes at its own PostgreSQL, so it starts its own sandbox: drop"
              + " --entry and --sandbox");
    }
    if (shards < 1 || jobs < 1 || warmupJobs < 0 || workers < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "--shards >= 1, --jobs >= 1, --warmup-jobs >= 0, --workers >= 1, --batch-size >= 1");
    }
    Path postgres = Prerequisites.postgresBin("perf/run history");
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    String prefix = "hist-" + tag + "-";
    List<String> hosts = sinkHosts(Math.max(1, (workers + 63) / 64));
    Phase phase;
    ExportAccounting rows;
    // Every node's pool (4) and the harness's own connections.
    int maxConnections = Math.max(100, 3 * shards * 4 + 20);
    try (PostgresServer db =
        PostgresServer.start(postgres, maxConnections, run.keepData, console)) {
      HistoryTable table = new HistoryTable(db.jdbcUrl());
      Map<String, String> nodeEnv =
          Map.of(
              "SHARDHOOK_HISTORY",
              "on",
              "SHARDHOOK_HISTORY_JDBC_URL",
              db.databaseUrl(),
              "SHARDHOOK_HISTORY_JDBC_USER",
              PostgresServer.USER);
      try (Target sut =
              Target.open(run, new Sandbox.Spec(shards, workers, null), nodeEnv, console);
          NodeHttp http = sut.http(Duration.ofSeconds(60));
          HistoryMetrics metrics = new HistoryMetrics(nodeUrls(sut), sut.apiKey().orElse(null))) {
        // The nodes get the database only through the environment: check that it reached them.
        if (!table.awaitSchema(Duration.ofSeconds(90))) {
          sut.markFailed();
          throw new IOException(
              "no node created the history tables in "
                  + db.databaseUrl()
                  + " within 90 s: the nodes did not get SHARDHOOK_HISTORY_JDBC_URL, or cannot"
                  + " reach it (see the node logs)");
        }
        console.say("history: the nodes export to %s", db.databaseUrl());
        if (warmupJobs > 0) {
          measure("warm-up", "warm-" + tag + "-", warmupJobs, hosts, http, metrics, console);
        }
        phase = measure("measured", prefix, jobs, hosts, http, metrics, console);
        rows = ExportAccounting.count(phase.ids(), table.rows(prefix));
        if (!rows.exactlyOnce() || phase.ids().size() < jobs) {
          sut.markFailed();
        }
      }
    }
    return runner.finish(report(phase, rows));
  }

  private Phase measure(
      String label,
      String prefix,
      int count,
      List<String> hosts,
      NodeHttp http,
      HistoryMetrics metrics,
      Console console)
      throws Exception {
    String body = JobBodies.payload(payloadBytes);
    try (WebhookSink sink = WebhookSink.start(hosts, 0, Duration.ZERO)) {
      List<URI> urls = sink.urls();
      List<BatchSubmitter.PendingJob> pending = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String id = prefix + i;
        pending.add(
            new BatchSubmitter.PendingJob(
                id, JobBodies.immediateJob(id, urls.get(i % urls.size()).toString(), body)));
      }
      long base = metrics.read().exported();
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      List<ExportTimeline.Sample> samples = new ArrayList<>();
      AtomicLong exported = new AtomicLong();
      long start = System.nanoTime();
      Function<HistoryMetrics.Reading, ExportTimeline.Sample> sample =
          r ->
              new ExportTimeline.Sample(
                  (System.nanoTime() - start) / 1e9,
                  accepted.size(),
                  sink.distinct(),
                  r.exported() - base,
                  r.lagSeconds(),
                  r.lagEntries());
      ScheduledExecutorService sampler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("history-sampler").factory());
      sampler.scheduleAtFixedRate(
          () -> {
            try {
              ExportTimeline.Sample s = sample.apply(metrics.read());
              exported.set(s.exported());
              synchronized (samples) {
                samples.add(s);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          },
          0,
          SAMPLE_MS,
          TimeUnit.MILLISECONDS);
      BatchSubmitter submitter =
          new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(60), console.err());
      long submitted;
      console.say("history %s: %d jobs due at once, sink %s", label, count, urls);
      try (Progress bar =
          Progress.start(
              console,
              "history " + label,
              () -> (double) exported.get() / count,
              () ->
                  "accepted="
                      + accepted.size()
                      + " delivered="
                      + sink.distinct()
                      + " exported="
                      + exported.get())) {
        submitter.submitAll(pending, accepted::add);
        submitted = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while ((sink.distinct() < accepted.size() || exported.get() < accepted.size())
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } finally {
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
      }
      synchronized (samples) {
        samples.add(sample.apply(metrics.read()));
      }
      long last = sink.lastFirstDeliveryNanos();
      Phase phase =
          new Phase(
              Set.copyOf(accepted),
              submitter.failed(),
              (submitted - start) / 1e9,
              last > start ? (last - start) / 1e9 : Double.NaN,
              DeliveryAccounting.count(accepted, sink.receiptCounts()),
              new ExportTimeline(samples));
      console.say(
          "history %s: accepted %d in %.1f s, delivered %d, exported %d",
          label,
          phase.ids().size(),
          phase.acceptSeconds(),
          phase.deliveries().delivered(),
          exported.get());
      return phase;
    }
  }

  /**
   * {@code {"scenario":"history","acceptJobsPerSec","deliveriesPerSec","exportRowsPerSec","ratio",
   * "keepsUp","peakLagSeconds",…}}: export rows/s = acknowledged jobs ÷ seconds from the first
   * submission until the leaders had exported as many rows; ratio = that ÷ accepted jobs/s.
   */
  static ResultLine resultLine(Phase p, ExportAccounting rows, int shards, int workers, int jobs) {
    long accepted = p.ids().size();
    ExportTimeline t = p.timeline();
    double exportSeconds = t.secondsToExport(accepted);
    double acceptRate = accepted / p.acceptSeconds();
    double deliveryRate = p.deliveries().delivered() / p.deliverSeconds();
    double exportRate = accepted / exportSeconds;
    double tail = exportSeconds - p.deliverSeconds();
    double backlog = p.deliveries().delivered() - t.exportedAt(p.deliverSeconds());
    return ResultLine.of("history")
        .put("shards", shards)
        .put("workers", workers)
        .put("jobs", jobs)
        .put("accepted", accepted)
        .put("acceptJobsPerSec", acceptRate, 1)
        .put("deliveriesPerSec", deliveryRate, 1)
        .put("exportRowsPerSec", exportRate, 1)
        .put("ratio", Efficiency.ratio(exportRate, acceptRate), 3)
        .put(
            "exportWhileAcceptingRowsPerSec",
            t.exportedAt(p.acceptSeconds()) / p.acceptSeconds(),
            1)
        .put("exportTailSeconds", tail, 2)
        .put("backlogAtLastDelivery", Math.max(0, backlog), 0)
        .put("keepsUp", tail <= KEEP_UP_TAIL_SECONDS)
        .put("peakLagSeconds", t.peakLagSeconds(), 2)
        .put("peakLagEntries", t.peakLagEntries())
        .put("peakBacklog", t.peakBacklog())
        .put("acceptSeconds", p.acceptSeconds(), 2)
        .put("deliverSeconds", p.deliverSeconds(), 2)
        .put("exportSeconds", exportSeconds, 2)
        .put("rowsInPostgres", rows.rows())
        .put("missing", rows.missing())
        .put("duplicates", rows.duplicates())
        .put("unacknowledged", rows.unacknowledged())
        .put("attemptRows", rows.attemptRows())
        .put("lost", p.deliveries().lost())
        .put("deliveryDuplicates", p.deliveries().duplicates())
        .put("submitErrors", p.submitErrors());
  }

  private Report report(Phase p, ExportAccounting rows) {
    ResultLine result = resultLine(p, rows, shards, workers, jobs);
    ExportTimeline t = p.timeline();
    long accepted = p.ids().size();
    double exportSeconds = t.secondsToExport(accepted);
    MarkdownTable table = new MarkdownTable("what", "jobs or rows", "seconds", "per second");
    table.row(
        "accepted (201 of POST /jobs:batch)",
        accepted,
        MarkdownTable.number(p.acceptSeconds(), 2),
        MarkdownTable.number(accepted / p.acceptSeconds(), 1));
    table.row(
        "delivered (first delivery)",
        p.deliveries().delivered(),
        MarkdownTable.number(p.deliverSeconds(), 2),
        MarkdownTable.number(p.deliveries().delivered() / p.deliverSeconds(), 1));
    table.row(
        "exported (leaders' counter)",
        accepted,
        MarkdownTable.number(exportSeconds, 2),
        MarkdownTable.number(accepted / exportSeconds, 1));
    ExportAccounting r = rows;
    String body =
        "## Result\n\n"
            + String.format(
                "%d jobs due at once on %d shard(s) (%d workers per leader), a sink answering 200"
                    + " at once; the nodes export to one PostgreSQL. Seconds from the first"
                    + " submission.%n%n",
                jobs, shards, workers)
            + table
            + String.format(
                "%nExport ÷ accept: **%s**. Rows exported while jobs were being accepted: %s/s."
                    + " The last row was exported %s s after the last delivery (%s rows behind"
                    + " then); keeps up: **%s** (tail ≤ %.0f s). Peak lag: %s s, %d entries;"
                    + " peak backlog %d jobs delivered and not exported.%n%n",
                MarkdownTable.number(
                    Efficiency.ratio(accepted / exportSeconds, accepted / p.acceptSeconds()), 3),
                MarkdownTable.number(t.exportedAt(p.acceptSeconds()) / p.acceptSeconds(), 1),
                MarkdownTable.number(exportSeconds - p.deliverSeconds(), 2),
                MarkdownTable.number(
                    Math.max(0, p.deliveries().delivered() - t.exportedAt(p.deliverSeconds())), 0),
                exportSeconds - p.deliverSeconds() <= KEEP_UP_TAIL_SECONDS,
                KEEP_UP_TAIL_SECONDS,
                MarkdownTable.number(t.peakLagSeconds(), 2),
                t.peakLagEntries(),
                t.peakBacklog())
            + String.format(
                "PostgreSQL holds %d rows of the run's jobs: %d of %d acknowledged jobs, %d"
                    + " missing, %d duplicated, %d not SUCCEEDED, %d without attempts (%d attempt"
                    + " rows). Deliveries: %d lost, %d duplicates.%n",
                r.rows(),
                r.exported(),
                r.acknowledged(),
                r.missing(),
                r.duplicates(),
                r.notSucceeded(),
                r.withoutAttempts(),
                r.attemptRows(),
                p.deliveries().lost(),
                p.deliveries().duplicates());
    Map<String, List<double[]>> progress = Charts.ordered();
    progress.put("accepted", points(t, s -> (double) s.accepted()));
    progress.put("delivered", points(t, s -> (double) s.delivered()));
    progress.put("exported", points(t, s -> (double) s.exported()));
    Map<String, List<double[]>> lag = Charts.ordered();
    lag.put("lag seconds (largest of any node)", points(t, ExportTimeline.Sample::lagSeconds));
    List<Charts.Named> charts =
        List.of(
            Charts.lines(
                "history-progress",
                "Jobs accepted, delivered and exported since the first submission",
                "seconds",
                "jobs",
                progress,
                "",
                List.of()),
            Charts.lines(
                "history-lag",
                "shardhook_history_lag_seconds",
                "seconds",
                "lag seconds",
                lag,
                "",
                List.of()));
    ResultLine details =
        ResultLine.object()
            .putNumbers("seconds", series(t, ExportTimeline.Sample::seconds), 3)
            .putNumbers("accepted", series(t, s -> (double) s.accepted()), 0)
            .putNumbers("delivered", series(t, s -> (double) s.delivered()), 0)
            .putNumbers("exported", series(t, s -> (double) s.exported()), 0)
            .putNumbers("lagSeconds", series(t, ExportTimeline.Sample::lagSeconds), 3)
            .putNumbers("lagEntries", series(t, s -> (double) s.lagEntries()), 0);
    boolean ok =
        rows.exactlyOnce()
            && accepted == jobs
            && p.deliveries().lost() == 0
            && !Double.isNaN(exportSeconds);
    return new Report("history", result, details, body, charts, ok);
  }

  private static List<double[]> points(
      ExportTimeline t, Function<ExportTimeline.Sample, Double> y) {
    return t.samples().stream().map(s -> new double[] {s.seconds(), y.apply(s)}).toList();
  }

  private static List<Double> series(ExportTimeline t, Function<ExportTimeline.Sample, Double> y) {
    return t.samples().stream().map(y).toList();
  }

  private static List<URI> nodeUrls(Target sut) throws IOException {
    SandboxTopology topology = sut.sandbox().orElseThrow().topology();
    return topology.shards().stream()
        .flatMap(s -> s.nodes().stream())
        .map(SandboxTopology.Process::url)
        .toList();
  }

  private static List<String> sinkHosts(int count) {
    List<String> hosts = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      hosts.add("127.0.0." + i);
    }
    return hosts;
  }
}
