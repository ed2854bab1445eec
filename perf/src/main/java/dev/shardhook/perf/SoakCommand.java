package dev.shardhook.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A long mixed load against one shard (README, "Performance"): jobs submitted at a steady rate and
 * delivered to a local receiver (a share of them to a closed port, so they fail, retry and end
 * FAILED), first pages listed, and jobs due in an hour submitted and cancelled; every node's RSS,
 * heap after a full GC, open files, threads and data-dir bytes are sampled, and each figure's drift
 * after the settling time is reported.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Mixed load for a long time: RSS, heap, files, threads and disk must stay flat.")
final class SoakCommand implements Callable<Integer> {
  static final double DRIFT_GOAL = 0.10;
  private static final int MAX_IN_FLIGHT = 64;
  private static final String FAILING_URL = "http://localhost:9/hook";

  /** The figures sampled, by name, and how each is read from a sample. */
  static final Map<String, ToDoubleFunction<ProcessProbe.Sample>> FIGURES = figures();

  /** One sample of one node. */
  record NodeSample(double seconds, String node, ProcessProbe.Sample sample) {}

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--duration",
      defaultValue = "30m",
      description = "How long the load runs (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--settle",
      defaultValue = "5m",
      description = "Drift is measured from this time on (default ${DEFAULT-VALUE})")
  Duration settle;

  @Option(
      names = "--sample-every",
      defaultValue = "30s",
      description = "Every node is sampled this often (default ${DEFAULT-VALUE})")
  Duration sampleEvery;

  @Option(
      names = "--rate",
      defaultValue = "50",
      description = "Jobs submitted per second, due at once (default ${DEFAULT-VALUE})")
  int rate;

  @Option(
      names = "--fail-percent",
      defaultValue = "5",
      description = "Percent of them sent to a closed port: they fail (default ${DEFAULT-VALUE})")
  int failPercent;

  @Option(
      names = "--cancel-rate",
      defaultValue = "5",
      description =
          "Jobs due in an hour submitted and cancelled per second (default ${DEFAULT-VALUE})")
  int cancelRate;

  @Option(
      names = "--list-every",
      defaultValue = "1s",
      description = "A GET /jobs?limit=100 this often (default ${DEFAULT-VALUE})")
  Duration listEvery;

  @Option(
      names = "--retention",
      defaultValue = "2m",
      description =
          "The nodes' --retention: finished jobs are purged after it, so the store stops growing"
              + " (default ${DEFAULT-VALUE})")
  Duration retention;

  @Option(
      names = "--latency-ms",
      defaultValue = "10",
      description = "The receiver's latency (default ${DEFAULT-VALUE})")
  int latencyMs;

  private final ScenarioRunner.Streams streams;
  private final ProcessProbe probe = new ProcessProbe();
  private final List<NodeSample> samples = Collections.synchronizedList(new ArrayList<>());
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final LongAdder submitted = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder listed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final AtomicLong sequence = new AtomicLong();
  private long startNanos;

  SoakCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  private static Map<String, ToDoubleFunction<ProcessProbe.Sample>> figures() {
    Map<String, ToDoubleFunction<ProcessProbe.Sample>> out = new LinkedHashMap<>();
    out.put("rssMiB", s -> BacklogAccounting.mib(s.rssBytes()));
    out.put("heapAfterGcMiB", s -> BacklogAccounting.mib(s.heapAfterGcBytes()));
    out.put("openFiles", s -> s.openFiles());
    out.put("threads", s -> s.threads());
    out.put("diskMiB", s -> BacklogAccounting.mib(s.diskBytes()));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Integer call() throws Exception {
    if (rate < 1 || failPercent < 0 || failPercent > 100 || cancelRate < 0) {
      throw new IllegalArgumentException("--rate >= 1, --fail-percent 0..100, --cancel-rate >= 0");
    }
    if (settle.compareTo(duration) >= 0 || sampleEvery.isZero() || sampleEvery.isNegative()) {
      throw new IllegalArgumentException(
          "--settle must be shorter than --duration; --sample-every > 0");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    boolean ok;
    try (WebhookSink sink =
            WebhookSink.start(List.of("127.0.0.1"), 0, Duration.ofMillis(latencyMs));
        Target sut =
            Target.open(
                run,
                new Sandbox.Spec(1, null, null),
                Map.of("SHARDHOOK_RETENTION", retention.toSeconds() + "s"),
                console);
        NodeHttp http = sut.http(Duration.ofSeconds(30))) {
      Sandbox sandbox =
          sut.sandbox()
              .orElseThrow(
                  () -> new IllegalArgumentException("soak needs a sandbox (not --entry)"));
      String url = sink.urls().get(0).toString();
      console.say(
          "soak: %s for %ds: %d jobs/s (%d%% failing), %d cancels/s, a list every %dms",
          sut.entry(), duration.toSeconds(), rate, failPercent, cancelRate, listEvery.toMillis());
      startNanos = System.nanoTime();
      ScheduledExecutorService ticks =
          Executors.newScheduledThreadPool(
              2, Thread.ofPlatform().name("soak-tick-", 0).daemon().factory());
      try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
        ticks.scheduleAtFixedRate(
            () -> launch(requests, () -> submit(http, tag, url)),
            0,
            1_000_000 / rate,
            TimeUnit.MICROSECONDS);
        if (cancelRate > 0) {
          ticks.scheduleAtFixedRate(
              () -> launch(requests, () -> submitAndCancel(http, tag, url)),
              0,
              1_000_000 / cancelRate,
              TimeUnit.MICROSECONDS);
        }
        ticks.scheduleAtFixedRate(
            () -> launch(requests, () -> list(http)),
            0,
            listEvery.toMillis(),
            TimeUnit.MILLISECONDS);
        ticks.scheduleWithFixedDelay(
            () -> sampleAll(sandbox, console), 0, sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
        long end = startNanos + duration.toNanos();
        while (System.nanoTime() < end) {
          Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
          console.say(
              "soak: %.0fs: submitted %d, cancelled %d, listed %d, delivered %d, errors %d",
              (System.nanoTime() - startNanos) / 1e9,
              submitted.sum(),
              cancelled.sum(),
              listed.sum(),
              sink.requests(),
              errors.sum());
        }
        ticks.shutdownNow();
        ticks.awaitTermination(2, TimeUnit.MINUTES);
      }
      ok = errors.sum() == 0 || errors.sum() < submitted.sum() / 1000;
      if (!ok) {
        sut.markFailed();
      }
    }
    return runner.finish(report(ok));
  }

  /** Runs one request on a virtual thread unless {@link #MAX_IN_FLIGHT} are open already. */
  private void launch(ExecutorService requests, Runnable request) {
    if (!inFlight.tryAcquire()) {
      skipped.increment();
      return;
    }
    try {
      requests.submit(
          () -> {
            try {
              request.run();
            } finally {
              inFlight.release();
            }
          });
    } catch (RuntimeException e) {
      inFlight.release();
    }
  }

  private void submit(NodeHttp http, String tag, String url) {
    long n = sequence.incrementAndGet();
    boolean failing = n % 100 < failPercent;
    String id = "soak-" + tag + "-" + n;
    String job =
        "{\"id\":"
            + Json.quote(id)
            + ",\"url\":"
            + Json.quote(failing ? FAILING_URL : url)
            + ",\"body\":\"soak\",\"retry\":{\"maxAttempts\":3,\"initialBackoffMs\":200}}";
    call(() -> http.postJson("/jobs", job), 201, submitted);
  }

  private void submitAndCancel(NodeHttp http, String tag, String url) {
    String id = "soak-" + tag + "-c" + sequence.incrementAndGet();
    String job = JobBodies.storedJob(id, url, Instant.now().plus(Duration.ofHours(1)));
    if (call(() -> http.postJson("/jobs", job), 201, null)) {
      call(() -> http.delete("/jobs/" + id), 200, cancelled);
    }
  }

  private void list(NodeHttp http) {
    call(() -> http.get("/jobs?limit=100"), 200, listed);
  }

  @FunctionalInterface
  private interface Request {
    NodeHttp.Reply send() throws Exception;
  }

  private boolean call(Request request, int expected, LongAdder counter) {
    try {
      NodeHttp.Reply reply = request.send();
      if (reply.status() == expected) {
        if (counter != null) {
          counter.increment();
        }
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      // counted below
    }
    errors.increment();
    return false;
  }

  private void sampleAll(Sandbox sandbox, Console console) {
    try {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      for (SandboxTopology.Process node : sandbox.topology().shards().get(0).nodes()) {
        if (node.pid() == null || ProcessHandle.of(node.pid()).isEmpty()) {
          continue;
        }
        Path dataDir = sandbox.dir().resolve(node.id());
        samples.add(new NodeSample(seconds, node.id(), probe.sample(node.pid(), dataDir, true)));
      }
    } catch (Exception e) {
      console.say("soak: sampling failed: %s", e);
    }
  }

  private Report report(boolean ok) {
    List<NodeSample> all;
    synchronized (samples) {
      all = List.copyOf(samples);
    }
    double settleSeconds = settle.toSeconds();
    double window =
        SoakDrift.window(duration.toSeconds(), settleSeconds, sampleEvery.toMillis() / 1000.0);
    List<String> nodes = all.stream().map(NodeSample::node).distinct().toList();
    MarkdownTable table =
        new MarkdownTable("node", "figure", "first window", "last window", "drift");
    ResultLine drifts = ResultLine.object();
    boolean flat = !nodes.isEmpty();
    double worst = 0;
    String worstName = null;
    for (String figure : FIGURES.keySet()) {
      double maxDrift = Double.NaN;
      for (String node : nodes) {
        SoakDrift.Result r = SoakDrift.drift(points(all, node, figure), settleSeconds, window);
        table.row(
            node,
            figure,
            MarkdownTable.number(r.first(), 1),
            MarkdownTable.number(r.last(), 1),
            MarkdownTable.number(100 * r.drift(), 1) + "%");
        flat &= r.within(DRIFT_GOAL);
        if (Double.isNaN(maxDrift) || Math.abs(r.drift()) > Math.abs(maxDrift)) {
          maxDrift = r.drift();
        }
        if (!Double.isNaN(r.drift()) && Math.abs(r.drift()) >= Math.abs(worst)) {
          worst = r.drift();
          worstName = node + " " + figure;
        }
      }
      drifts.put(figure, maxDrift, 4);
    }
    ResultLine result =
        ResultLine.of("soak")
            .put("durationSeconds", duration.toSeconds())
            .put("settleSeconds", settle.toSeconds())
            .put("submitted", submitted.sum())
            .put("cancelled", cancelled.sum())
            .put("listed", listed.sum())
            .put("errors", errors.sum())
            .put("skippedTicks", skipped.sum())
            .put("maxDrift", drifts)
            .put("worst", worstName)
            .put("flat", flat);
    List<ResultLine> series = new ArrayList<>();
    for (NodeSample s : all) {
      ResultLine line = ResultLine.object().put("seconds", s.seconds(), 1).put("node", s.node());
      FIGURES.forEach((name, read) -> line.put(name, read.applyAsDouble(s.sample()), 1));
      series.add(line);
    }
    StringBuilder body =
        new StringBuilder("## Result\n\n")
            .append(
                String.format(
                    "%ds of load on one shard: %d jobs/s due at once (%d%% to a closed port, 3"
                        + " attempts), %d jobs/s submitted and cancelled, a first page every"
                        + " %dms; nodes' --retention %ds. Every node sampled every %ds (heap"
                        + " after jcmd GC.run). Drift: mean of the last %.0fs over the mean of"
                        + " the first %.0fs after %ds, minus one; goal |drift| <= %.0f%%.%n%n",
                    duration.toSeconds(),
                    rate,
                    failPercent,
                    cancelRate,
                    listEvery.toMillis(),
                    retention.toSeconds(),
                    sampleEvery.toSeconds(),
                    window,
                    window,
                    settle.toSeconds(),
                    100 * DRIFT_GOAL))
            .append(table);
    List<Charts.Named> charts = new ArrayList<>();
    for (String figure : FIGURES.keySet()) {
      Map<String, List<double[]>> lines = new LinkedHashMap<>();
      for (String node : nodes) {
        lines.put(
            node,
            points(all, node, figure).stream()
                .map(p -> new double[] {p.seconds() / 60, p.value()})
                .toList());
      }
      charts.add(
          Charts.lines(
              "soak-" + figure,
              figure + " of every node",
              "minutes",
              figure,
              lines,
              "settled",
              List.of(settleSeconds / 60)));
    }
    return new Report(
        "soak",
        result,
        ResultLine.object().putObjects("samples", series),
        body.toString(),
        charts,
        ok && flat);
  }

  private static List<SoakDrift.Point> points(List<NodeSample> all, String node, String figure) {
    ToDoubleFunction<ProcessProbe.Sample> read = FIGURES.get(figure);
    return all.stream()
        .filter(s -> s.node().equals(node))
        .map(s -> new SoakDrift.Point(s.seconds(), read.applyAsDouble(s.sample())))
        .toList();
  }
}
