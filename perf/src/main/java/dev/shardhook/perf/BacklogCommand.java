package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A large backlog in one shard (README, "Performance"): measures the accept rate at the empty
 * shard, fills it with {@code --jobs} jobs due in a day ({@code POST /jobs:batch}, never delivered
 * while it runs) while sampling every node's heap after a full GC and its RSS, measures the accept
 * rate again at the full backlog, the disk bytes per pending job, and how long a follower killed
 * with SIGKILL takes to answer {@code /ready} 200 again.
 */
@Command(
    name = "backlog",
    mixinStandardHelpOptions = true,
    description =
        "N pending jobs in one shard: heap, accept rate at empty and full, disk per job, restart.")
final class BacklogCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int CHUNK = 50_000;

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--jobs",
      defaultValue = "10000000",
      description = "Pending jobs to store (default ${DEFAULT-VALUE})")
  long jobs;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Jobs per POST /jobs:batch (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--submitters",
      defaultValue = "4",
      description = "Concurrent batch requests while loading (default ${DEFAULT-VALUE})")
  int submitters;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Clients of the single POST /jobs accept runs (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--accept-duration",
      defaultValue = "20s",
      description = "Measured time of each accept run (default ${DEFAULT-VALUE})")
  Duration acceptDuration;

  @Option(
      names = "--accept-warmup",
      defaultValue = "15s",
      description =
          "Warm-up of each accept run; the first one also warms the node's JIT (default"
              + " ${DEFAULT-VALUE})")
  Duration acceptWarmup;

  @Option(
      names = "--sample-every",
      defaultValue = "30s",
      description =
          "Heap (after a full GC) and RSS of every node, this often (default ${DEFAULT-VALUE})")
  Duration sampleEvery;

  @Option(
      names = "--histogram-at",
      defaultValue = "1000000",
      description =
          "Take the leader's class histogram (top 25 in the report) at this many jobs; 0: never"
              + " (default ${DEFAULT-VALUE})")
  long histogramAt;

  @Option(
      names = "--heap-goal-mib",
      defaultValue = "512",
      description = "Heap the nodes must stay under (default ${DEFAULT-VALUE})")
  long heapGoalMib;

  private final ScenarioRunner.Streams streams;
  private final ProcessProbe probe = new ProcessProbe();
  private final List<BacklogAccounting.HeapPoint> points =
      Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong stored = new AtomicLong();
  private long startNanos;

  BacklogCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  /** What one run measured. */
  record Figures(
      AcceptFigures empty,
      AcceptFigures full,
      long loaded,
      double loadSeconds,
      long pending,
      Map<String, Long> diskBytes,
      double restartSeconds,
      String restartedNode,
      String histogram) {}

  @Override
  public Integer call() throws Exception {
    if (jobs < 1 || batchSize < 1 || submitters < 1 || concurrency < 1) {
      throw new IllegalArgumentException(
          "--jobs, --batch-size, --submitters and --concurrency must be >= 1");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    startNanos = System.nanoTime();
    // the accept runs add jobs of their own: room for them on top of the backlog
    long maxPending = Math.max(1_000_000L, jobs + 2_000_000L);
    Figures figures;
    boolean ok;
    try (Target sut = Target.open(run, new Sandbox.Spec(1, null, maxPending), console);
        NodeHttp http = sut.http(Duration.ofSeconds(120))) {
      Sandbox sandbox =
          sut.sandbox()
              .orElseThrow(
                  () -> new IllegalArgumentException("backlog needs a sandbox (not --entry)"));
      ScheduledExecutorService sampler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("heap-sampler").daemon().factory());
      sampler.scheduleWithFixedDelay(
          () -> sampleAll(sandbox, console), 0, sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
      try {
        figures = measure(sut, sandbox, http, console);
      } finally {
        sampler.shutdownNow();
        sampler.awaitTermination(2, TimeUnit.MINUTES);
      }
      sampleAll(sandbox, console);
      ok = figures.loaded() >= jobs;
      if (!ok) {
        sut.markFailed();
      }
    }
    return runner.finish(report(figures, ok));
  }

  private Figures measure(Target sut, Sandbox sandbox, NodeHttp http, Console console)
      throws Exception {
    console.say("backlog: accept at the empty shard");
    AcceptFigures empty = accept(sut, "accept at empty", console);
    stored.addAndGet(empty.ok() + empty.errors());
    console.say("backlog: empty shard: %.0f accepts/s", empty.opsPerSec());
    String tag = Long.toString(System.currentTimeMillis(), 36);
    Instant runAt = Instant.now().plus(Duration.ofDays(1));
    BatchSubmitter submitter =
        new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(300), console.err());
    String histogram = "";
    long loadStart = System.nanoTime();
    for (long from = 0; from < jobs; from += CHUNK) {
      List<BatchSubmitter.PendingJob> pending = new ArrayList<>();
      for (long i = from; i < Math.min(jobs, from + CHUNK); i++) {
        String id = "bl-" + tag + "-" + i;
        pending.add(
            new BatchSubmitter.PendingJob(
                id, JobBodies.storedJob(id, "http://127.0.0.1:9/hook", runAt)));
      }
      long before = submitter.accepted();
      submitter.submitAll(pending, id -> {});
      stored.addAndGet(submitter.accepted() - before);
      double seconds = (System.nanoTime() - loadStart) / 1e9;
      double rate = BacklogAccounting.loadRate(submitter.accepted(), seconds);
      console.say(
          "stored %d of %d in %.0f s (%.0f jobs/s; all %d at this rate: %.0f min)",
          submitter.accepted(),
          jobs,
          seconds,
          rate,
          jobs,
          BacklogAccounting.extrapolatedSeconds(jobs, rate) / 60);
      if (histogram.isEmpty()
          && histogramAt > 0
          && submitter.accepted() >= histogramAt
          && submitter.accepted() - (Math.min(jobs, from + CHUNK) - from) < histogramAt) {
        histogram = leaderHistogram(sandbox, console);
      }
      if (submitter.failed() > 0 && submitter.accepted() == 0) {
        break;
      }
    }
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    console.say("backlog: accept at %d pending", stored.get());
    AcceptFigures full = accept(sut, "accept at full", console);
    stored.addAndGet(full.ok() + full.errors());
    console.say(
        "backlog: full: %.0f accepts/s (%.2f of empty)",
        full.opsPerSec(), BacklogAccounting.acceptRatio(empty.opsPerSec(), full.opsPerSec()));
    SandboxTopology.Shard shard = sandbox.topology().shards().get(0);
    long pending = -1;
    Map<String, Long> disk = new LinkedHashMap<>();
    String follower = null;
    for (SandboxTopology.Process node : shard.nodes()) {
      JsonNode status = status(node.url());
      if (status != null && "LEADER".equals(status.path("role").asText())) {
        pending = status.path("pending").asLong(-1);
      } else if (follower == null) {
        follower = node.id();
      }
      disk.put(node.id(), ProcessProbe.directoryBytes(sandbox.dir().resolve(node.id())));
    }
    console.say("backlog: %d pending; data dirs %s bytes", pending, disk);
    double restart = Double.NaN;
    if (follower != null) {
      restart = restart(sandbox, follower, console);
    }
    return new Figures(
        empty,
        full,
        submitter.accepted(),
        loadSeconds,
        pending,
        disk,
        restart,
        follower,
        histogram);
  }

  private AcceptFigures accept(Target sut, String label, Console console) throws Exception {
    byte[] body =
        JobBodies.scheduledJob(
                "http://127.0.0.1:9/hook", Instant.now().plus(Duration.ofDays(1)), "")
            .getBytes(StandardCharsets.UTF_8);
    try (KeepAlivePoster poster =
        new KeepAlivePoster(sut.entry(), Duration.ofSeconds(30), sut.apiKey().orElse(null))) {
      return new ClosedLoop(label, concurrency, acceptWarmup, acceptDuration, console)
          .run(
              "shardhook",
              () -> {
                int status = poster.post("/jobs", body);
                if (status != 201) {
                  throw new IOException("HTTP " + status);
                }
              });
    }
  }

  /**
   * Kills {@code nodeId}, starts it again, and returns the seconds from the start until it answers
   * {@code /ready} 200.
   */
  private double restart(Sandbox sandbox, String nodeId, Console console) throws Exception {
    URI url = sandbox.topology().node(nodeId).orElseThrow().url();
    console.say("backlog: killing %s and starting it again", nodeId);
    sandbox.kill(nodeId);
    long start = System.nanoTime();
    CompletableFuture<Void> up =
        CompletableFuture.runAsync(
            () -> {
              try {
                sandbox.startStopped();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    double seconds = Double.NaN;
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      long deadline = start + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          HttpResponse<Void> ready =
              client.send(
                  HttpRequest.newBuilder(URI.create(url + "/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (ready.statusCode() == 200) {
            seconds = (System.nanoTime() - start) / 1e9;
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(100);
      }
    }
    up.get(10, TimeUnit.MINUTES);
    console.say("backlog: %s ready again after %.1f s", nodeId, seconds);
    return seconds;
  }

  private static JsonNode status(URI node) {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(node + "/status"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? MAPPER.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private String leaderHistogram(Sandbox sandbox, Console console) throws IOException {
    for (SandboxTopology.Process node : sandbox.topology().shards().get(0).nodes()) {
      JsonNode status = status(node.url());
      if (status != null && "LEADER".equals(status.path("role").asText()) && node.pid() != null) {
        String histogram = probe.classHistogram(node.pid());
        List<String> lines = histogram.lines().limit(28).toList();
        console.say("backlog: class histogram of %s at %d jobs:", node.id(), stored.get());
        lines.forEach(l -> console.say("  %s", l));
        return node.id() + " at " + stored.get() + " jobs\n" + String.join("\n", lines);
      }
    }
    return "";
  }

  private void sampleAll(Sandbox sandbox, Console console) {
    try {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      for (SandboxTopology.Process node : sandbox.topology().shards().get(0).nodes()) {
        if (node.pid() == null || ProcessHandle.of(node.pid()).isEmpty()) {
          continue;
        }
        ProcessProbe.Sample s = probe.sample(node.pid(), null, true);
        points.add(
            new BacklogAccounting.HeapPoint(
                seconds, stored.get(), node.id(), s.heapAfterGcBytes(), s.rssBytes()));
      }
    } catch (IOException | RuntimeException e) {
      console.say("backlog: sampling failed: %s", e);
    }
  }

  private Report report(Figures f, boolean ok) {
    List<BacklogAccounting.HeapPoint> samples;
    synchronized (points) {
      samples = List.copyOf(points);
    }
    long maxHeap = BacklogAccounting.maxHeap(samples);
    long maxRss = BacklogAccounting.maxRss(samples);
    double ratio = BacklogAccounting.acceptRatio(f.empty().opsPerSec(), f.full().opsPerSec());
    long leaderDisk = f.diskBytes().values().stream().mapToLong(Long::longValue).max().orElse(-1);
    double perJob = BacklogAccounting.bytesPerJob(leaderDisk, f.pending());
    boolean goals =
        BacklogAccounting.meetsGoals(maxHeap, heapGoalMib * 1024 * 1024, ratio, f.restartSeconds());
    ResultLine result =
        ResultLine.of("backlog")
            .put("jobs", f.loaded())
            .put("pending", f.pending())
            .put("loadJobsPerSec", BacklogAccounting.loadRate(f.loaded(), f.loadSeconds()), 0)
            .put("maxHeapMiB", BacklogAccounting.mib(maxHeap), 1)
            .put("maxRssMiB", BacklogAccounting.mib(maxRss), 1)
            .put("acceptEmptyPerSec", f.empty().opsPerSec(), 1)
            .put("acceptFullPerSec", f.full().opsPerSec(), 1)
            .put("acceptRatio", ratio, 3)
            .put("diskBytesPerJob", perJob, 1)
            .put("restartSeconds", f.restartSeconds(), 2)
            .put("goalsMet", goals);
    List<ResultLine> series = new ArrayList<>();
    for (BacklogAccounting.HeapPoint p : samples) {
      series.add(
          ResultLine.object()
              .put("seconds", p.seconds(), 1)
              .put("pending", p.pending())
              .put("node", p.node())
              .put("heapMiB", BacklogAccounting.mib(p.heapBytes()), 1)
              .put("rssMiB", BacklogAccounting.mib(p.rssBytes()), 1));
    }
    ResultLine details =
        ResultLine.object()
            .put("acceptEmpty", f.empty().toJson(false))
            .put("acceptFull", f.full().toJson(false))
            .putObjects("samples", series);
    MarkdownTable table = new MarkdownTable("figure", "value", "goal");
    table.row("jobs stored (batch load)", Long.toString(f.loaded()), "--jobs " + jobs);
    table.row("pending at the end (leader /status)", Long.toString(f.pending()), "");
    table.row(
        "load rate, jobs/s",
        MarkdownTable.number(BacklogAccounting.loadRate(f.loaded(), f.loadSeconds()), 0),
        "");
    table.row(
        "max heap after GC, any node, MiB",
        MarkdownTable.number(BacklogAccounting.mib(maxHeap), 1),
        "<= " + heapGoalMib);
    table.row("max RSS, any node, MiB", MarkdownTable.number(BacklogAccounting.mib(maxRss), 1), "");
    table.row(
        "accept at empty, jobs/s (p99 ms)",
        MarkdownTable.number(f.empty().opsPerSec(), 0)
            + " ("
            + MarkdownTable.number(f.empty().p99Ms(), 1)
            + ")",
        "");
    table.row(
        "accept at full, jobs/s (p99 ms)",
        MarkdownTable.number(f.full().opsPerSec(), 0)
            + " ("
            + MarkdownTable.number(f.full().p99Ms(), 1)
            + ")",
        "");
    table.row("accept ratio full/empty", MarkdownTable.number(ratio, 3), ">= 0.8");
    table.row("disk bytes per pending job (largest data dir)", MarkdownTable.number(perJob, 1), "");
    table.row(
        "restart of " + f.restartedNode() + " to /ready, s",
        MarkdownTable.number(f.restartSeconds(), 1),
        "<= 60");
    StringBuilder body =
        new StringBuilder("## Result\n\n")
            .append(
                String.format(
                    "One shard filled with %d jobs due in a day (POST /jobs:batch, %d a batch);"
                        + " accept measured with %d clients of single POST /jobs through the"
                        + " proxy; heap is after a full GC (jcmd GC.run, GC.heap_info) every %ss."
                        + "%n%n",
                    f.loaded(), batchSize, concurrency, sampleEvery.toSeconds()))
            .append(table);
    body.append("\nData directories (bytes): ").append(f.diskBytes()).append('\n');
    if (!f.histogram().isEmpty()) {
      body.append("\n## Class histogram\n\n```\n").append(f.histogram()).append("\n```\n");
    }
    Map<String, List<double[]>> heap = new LinkedHashMap<>();
    Map<String, List<double[]>> rss = new LinkedHashMap<>();
    for (BacklogAccounting.HeapPoint p : samples) {
      heap.computeIfAbsent(p.node() + " heap", k -> new ArrayList<>())
          .add(new double[] {p.pending() / 1e6, BacklogAccounting.mib(p.heapBytes())});
      rss.computeIfAbsent(p.node() + " RSS", k -> new ArrayList<>())
          .add(new double[] {p.pending() / 1e6, BacklogAccounting.mib(p.rssBytes())});
    }
    Map<String, List<double[]>> memory = new LinkedHashMap<>(heap);
    memory.putAll(rss);
    Map<String, Double> accepts = new LinkedHashMap<>();
    accepts.put("empty", f.empty().opsPerSec());
    accepts.put(String.format("%.1f M pending", f.pending() / 1e6), f.full().opsPerSec());
    List<Charts.Named> charts =
        List.of(
            Charts.lines(
                "backlog-memory",
                "Node heap after GC and RSS by pending jobs",
                "pending jobs (millions)",
                "MiB",
                memory,
                "",
                List.of()),
            Charts.bars("backlog-accept", "Accept rate, single POST /jobs", "jobs/s", accepts));
    return new Report("backlog", result, details, body.toString(), charts, ok);
  }
}
