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
 * exported-rows counter and lag while they arrive, are delivered and are exported. Then a drain:
 * PostgreSQL stopped while as many jobs finish, started again, and the exporter timed alone on that
 * backlog. After each phase it counts the rows in PostgreSQL (every job exactly once).
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
      names = "--drain-jobs",
      defaultValue = "-1",
      description =
          "Jobs of the drain phase: accepted and delivered while PostgreSQL is stopped, then"
              + " exported once it is started again (default: as many as --jobs; 0: no drain"
              + " phase)")
  int drainJobs;

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

  /**
   * The drain phase: the jobs acknowledged while PostgreSQL was down, and the timeline from the
   * moment it was started again.
   *
   * @param upSeconds until {@code pg_ctl start} returned (the server accepts connections)
   */
  record Drain(Set<String> ids, double upSeconds, ExportTimeline timeline) {}

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
    String prefix = "hist-" + tag + "-m-";
    String drainPrefix = "hist-" + tag + "-d-";
    int drainCount = drainJobs < 0 ? jobs : drainJobs;
    List<String> hosts = sinkHosts(Math.max(1, (workers + 63) / 64));
    Phase phase;
    ExportAccounting rows;
    Drain drain = null;
    ExportAccounting drainRows = null;
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
        if (drainCount > 0) {
          drain = drain(drainPrefix, drainCount, hosts, http, metrics, db, console);
          drainRows = ExportAccounting.count(drain.ids(), table.rows(drainPrefix));
        }
        if (!rows.exactlyOnce()
            || phase.ids().size() < jobs
            || (drainRows != null && !drainRows.exactlyOnce())) {
          sut.markFailed();
        }
      }
    }
    return runner.finish(report(phase, rows, drain, drainRows));
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
    try (WebhookSink sink = WebhookSink.start(hosts, 0, Duration.ZERO)) {
      List<BatchSubmitter.PendingJob> pending = jobs(prefix, count, sink.urls());
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      BatchSubmitter submitter =
          new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(60), console.err());
      console.say("history %s: %d jobs due at once, sink %s", label, count, sink.urls());
      ExportSampler sampler = new ExportSampler(metrics, accepted::size, sink::distinct, SAMPLE_MS);
      long start = sampler.startNanos();
      long submitted;
      ExportTimeline timeline;
      try (Progress bar = progress(console, label, count, accepted, sink, sampler)) {
        submitter.submitAll(pending, accepted::add);
        submitted = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while ((sink.distinct() < accepted.size() || sampler.exported() < accepted.size())
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } finally {
        timeline = sampler.finish();
      }
      long last = sink.lastFirstDeliveryNanos();
      Phase phase =
          new Phase(
              Set.copyOf(accepted),
              submitter.failed(),
              (submitted - start) / 1e9,
              last > start ? (last - start) / 1e9 : Double.NaN,
              DeliveryAccounting.count(accepted, sink.receiptCounts()),
              timeline);
      console.say(
          "history %s: accepted %d in %.1f s, delivered %d, exported %d",
          label,
          phase.ids().size(),
          phase.acceptSeconds(),
          phase.deliveries().delivered(),
          sampler.exported());
      return phase;
    }
  }

  /**
   * The exporter alone on a backlog: PostgreSQL is stopped while {@code count} jobs are accepted
   * and delivered, then started again; the timeline counts from the restart.
   */
  private Drain drain(
      String prefix,
      int count,
      List<String> hosts,
      NodeHttp http,
      HistoryMetrics metrics,
      PostgresServer db,
      Console console)
      throws Exception {
    try (WebhookSink sink = WebhookSink.start(hosts, 0, Duration.ZERO)) {
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      BatchSubmitter submitter =
          new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(60), console.err());
      console.say("history drain: stopping PostgreSQL, then %d jobs due at once", count);
      db.pause();
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        submitter.submitAll(jobs(prefix, count, sink.urls()), accepted::add);
        while (sink.distinct() < accepted.size() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        // Outcomes are committed a moment after the sink answered.
        Thread.sleep(1000);
      } catch (Exception e) {
        db.resume();
        throw e;
      }
      console.say("history drain: %d delivered; starting PostgreSQL again", sink.distinct());
      ExportSampler sampler = new ExportSampler(metrics, accepted::size, sink::distinct, SAMPLE_MS);
      ExportTimeline timeline;
      double upSeconds;
      try (Progress bar = progress(console, "drain", count, accepted, sink, sampler)) {
        db.resume();
        upSeconds = (System.nanoTime() - sampler.startNanos()) / 1e9;
        while (sampler.exported() < accepted.size() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } finally {
        timeline = sampler.finish();
      }
      console.say("history drain: exported %d of %d", sampler.exported(), accepted.size());
      return new Drain(Set.copyOf(accepted), upSeconds, timeline);
    }
  }

  private static Progress progress(
      Console console,
      String label,
      int count,
      Set<String> accepted,
      WebhookSink sink,
      ExportSampler sampler) {
    return Progress.start(
        console,
        "history " + label,
        () -> (double) sampler.exported() / count,
        () ->
            "accepted="
                + accepted.size()
                + " delivered="
                + sink.distinct()
                + " exported="
                + sampler.exported());
  }

  private List<BatchSubmitter.PendingJob> jobs(String prefix, int count, List<URI> urls) {
    String body = JobBodies.payload(payloadBytes);
    List<BatchSubmitter.PendingJob> pending = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = prefix + i;
      pending.add(
          new BatchSubmitter.PendingJob(
              id, JobBodies.immediateJob(id, urls.get(i % urls.size()).toString(), body)));
    }
    return pending;
  }

  /**
   * {@code {"scenario":"history","acceptJobsPerSec","deliveriesPerSec","exportRowsPerSec","ratio",
   * "keepsUp","peakLagSeconds",…}}: export rows/s = acknowledged jobs ÷ seconds from the first
   * submission until the leaders had exported as many rows; ratio = that ÷ accepted jobs/s.
   */
  static ResultLine resultLine(
      Phase p,
      ExportAccounting rows,
      Drain drain,
      ExportAccounting drainRows,
      int shards,
      int workers,
      int jobs) {
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
        .put("submitErrors", p.submitErrors())
        .put("drain", drain == null ? null : drainLine(drain, drainRows, acceptRate));
  }

  /**
   * {@code {"jobs","rowsPerSec","ratio",…}}: rows/s from the first row exported after the restart
   * to the last (the exporter alone on a backlog); ratio = that ÷ the measured accept rate.
   */
  static ResultLine drainLine(Drain d, ExportAccounting rows, double acceptRate) {
    long n = d.ids().size();
    ExportTimeline t = d.timeline();
    double done = t.secondsToExport(n);
    double rate = drainRate(d);
    return ResultLine.object()
        .put("jobs", n)
        .put("rowsPerSec", rate, 1)
        .put("ratio", Efficiency.ratio(rate, acceptRate), 3)
        .put("fromRestartRowsPerSec", n / done, 1)
        .put("postgresUpSeconds", d.upSeconds(), 2)
        .put(
            "firstRowSeconds",
            t.firstExported().map(ExportTimeline.Sample::seconds).orElse(Double.NaN),
            2)
        .put("lastRowSeconds", done, 2)
        .put("rowsInPostgres", rows.rows())
        .put("missing", rows.missing())
        .put("duplicates", rows.duplicates());
  }

  /** Rows per second from the first sample that saw rows exported to the last row; NaN if none. */
  static double drainRate(Drain d) {
    long n = d.ids().size();
    double done = d.timeline().secondsToExport(n);
    return d.timeline()
        .firstExported()
        .filter(first -> done > first.seconds())
        .map(first -> (n - first.exported()) / (done - first.seconds()))
        .orElse(Double.NaN);
  }

  private Report report(Phase p, ExportAccounting rows, Drain drain, ExportAccounting drainRows) {
    ResultLine result = resultLine(p, rows, drain, drainRows, shards, workers, jobs);
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
                p.deliveries().duplicates())
            + drainText(drain, drainRows, accepted / p.acceptSeconds());
    Map<String, List<double[]>> progress = Charts.ordered();
    progress.put("accepted", points(t, s -> (double) s.accepted()));
    progress.put("delivered", points(t, s -> (double) s.delivered()));
    progress.put("exported", points(t, s -> (double) s.exported()));
    Map<String, List<double[]>> lag = Charts.ordered();
    lag.put("lag seconds (largest of any node)", points(t, ExportTimeline.Sample::lagSeconds));
    List<Charts.Named> charts = new ArrayList<>();
    charts.addAll(
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
                List.of())));
    if (drain != null) {
      Map<String, List<double[]>> drained = Charts.ordered();
      drained.put("exported", points(drain.timeline(), s -> (double) s.exported()));
      charts.add(
          Charts.lines(
              "history-drain",
              "Drain: rows exported after PostgreSQL was started again",
              "seconds",
              "rows",
              drained,
              "PostgreSQL up",
              List.of(drain.upSeconds())));
    }
    ResultLine details =
        ResultLine.object()
            .putNumbers("seconds", series(t, ExportTimeline.Sample::seconds), 3)
            .putNumbers("accepted", series(t, s -> (double) s.accepted()), 0)
            .putNumbers("delivered", series(t, s -> (double) s.delivered()), 0)
            .putNumbers("exported", series(t, s -> (double) s.exported()), 0)
            .putNumbers("lagSeconds", series(t, ExportTimeline.Sample::lagSeconds), 3)
            .putNumbers("lagEntries", series(t, s -> (double) s.lagEntries()), 0);
    if (drain != null) {
      details.put(
          "drain",
          ResultLine.object()
              .putNumbers("seconds", series(drain.timeline(), ExportTimeline.Sample::seconds), 3)
              .putNumbers("exported", series(drain.timeline(), s -> (double) s.exported()), 0));
    }
    boolean ok =
        (drainRows == null || drainRows.exactlyOnce())
            && rows.exactlyOnce()
            && accepted == jobs
            && p.deliveries().lost() == 0
            && !Double.isNaN(exportSeconds);
    return new Report("history", result, details, body, charts, ok);
  }

  private static String drainText(Drain d, ExportAccounting rows, double acceptRate) {
    if (d == null) {
      return "\nNo drain phase (`--drain-jobs 0`).\n";
    }
    double rate = drainRate(d);
    String untimed =
        Double.isNaN(rate)
            ? " The drain was too short to time (exported between two samples, 200 ms apart):"
                + " give more `--drain-jobs`."
            : "";
    return String.format(
        "%n## Drain%n%nPostgreSQL stopped while %d jobs were accepted and delivered, then started"
            + " again (up after %s s): the exporter alone on a backlog. Rows/s from the first row"
            + " after the restart (%s s) to the last (%s s): **%s** (÷ accepted/s above: **%s**)."
            + " PostgreSQL holds %d rows of them, %d missing, %d duplicated.%s%n",
        d.ids().size(),
        MarkdownTable.number(d.upSeconds(), 2),
        MarkdownTable.number(
            d.timeline().firstExported().map(ExportTimeline.Sample::seconds).orElse(Double.NaN), 2),
        MarkdownTable.number(d.timeline().secondsToExport(d.ids().size()), 2),
        MarkdownTable.number(rate, 1),
        MarkdownTable.number(Efficiency.ratio(rate, acceptRate), 3),
        rows.rows(),
        rows.missing(),
        rows.duplicates(),
        untimed);
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
