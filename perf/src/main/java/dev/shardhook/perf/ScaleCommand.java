package dev.shardhook.perf;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Scaling: the accept and deliver measurements against a fresh sandbox of each shard count, and
 * scaling efficiency = throughput(N) ÷ (N × throughput(1)).
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = "Accept and deliver throughput per shard count, and scaling efficiency.")
final class ScaleCommand implements Callable<Integer> {
  /** The figures of one shard count. */
  record Point(int shards, AcceptFigures accept, DeliverFigures deliver, double bound) {}

  @Mixin RunOptions run;
  @Mixin JitWarmup jitWarmup;

  @Spec CommandSpec spec;

  @Option(
      names = "--shards",
      defaultValue = "1,3",
      split = ",",
      description = "Shard counts, in order (default ${DEFAULT-VALUE})")
  List<Integer> shardCounts;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "accept: clients (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--payload",
      defaultValue = "512",
      description = "accept: job body bytes (default ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      description = "accept: measured time (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      // Four JVMs JIT-compiling on two cores need about half a minute: with 5 s the first runs
      // measured a quarter of the warm throughput.
      defaultValue = "30s",
      description = "accept: warm-up (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "deliver: workers per leader (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--latency-ms",
      defaultValue = "100",
      description = "deliver: sink latency (default ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(
      names = "--jobs",
      defaultValue = "20000",
      description = "deliver: jobs per shard (default ${DEFAULT-VALUE})")
  int jobsPerShard;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      description = "deliver: give up waiting for deliveries after (default ${DEFAULT-VALUE})")
  Duration timeout;

  private final ScenarioRunner.Streams streams;

  ScaleCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (run.entry != null || run.sandboxDir != null) {
      throw new ParameterException(
          spec.commandLine(), "scale starts a sandbox per shard count: drop --entry/--sandbox");
    }
    if (shardCounts.isEmpty() || shardCounts.stream().anyMatch(n -> n < 1 || n > 64)) {
      throw new IllegalArgumentException("--shards: a list of shard counts from 1 to 64");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    int cores = Runtime.getRuntime().availableProcessors();
    int largest = shardCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
    if (!enoughCores(cores, largest)) {
      console.say(
          "note: %d cores for up to %d node JVMs, a proxy and the load generator: the scaling"
              + " figure is not meaningful on this machine",
          cores, 3 * largest);
    }
    List<Point> points = new ArrayList<>();
    for (int shards : shardCounts) {
      points.add(measure(shards, console));
    }
    return runner.finish(report(points, cores));
  }

  private Point measure(int shards, Console console) throws Exception {
    String job =
        JobBodies.scheduledJob(
            "http://127.0.0.1:9/never",
            Instant.now().plus(Duration.ofDays(30)),
            JobBodies.payload(payloadBytes));
    int jobs = jobsPerShard * shards;
    int hosts = Math.max(1, Math.min(250, (workers + 63) / 64));
    List<String> sinkHosts = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      sinkHosts.add("127.0.0." + i);
    }
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, workers, null), console);
        NodeHttp http = sut.http(Duration.ofSeconds(60));
        WebhookSink sink = WebhookSink.start(sinkHosts, 0, Duration.ofMillis(latencyMs))) {
      jitWarmup.run(sut, console);
      console.say("scale: %d shard(s): accept", shards);
      AcceptFigures accept =
          new ClosedLoop("scale " + shards + " accept", concurrency, warmup, duration, console)
              .run(
                  "shardhook",
                  () -> {
                    NodeHttp.Reply reply = http.postJson("/jobs", job);
                    if (reply.status() != 201) {
                      throw new IOException("HTTP " + reply.status());
                    }
                  });
      console.say("scale: %d shard(s): deliver %d jobs", shards, jobs);
      BatchSubmitter batches =
          new BatchSubmitter(http, 500, 4, Duration.ofSeconds(60), console.err());
      String tag = Long.toString(System.currentTimeMillis(), 36);
      DeliverFigures deliver =
          new DeliveryRun(timeout, Duration.ofSeconds(1), console)
              .measure(
                  "shardhook",
                  sink,
                  WebhookJob.spread("scale-" + tag, jobs, sink.urls(), JobBodies.payload(64)),
                  new ShardhookSubmitter(batches));
      return new Point(
          shards, accept, deliver, Efficiency.deliveryBound(workers * shards, latencyMs));
    }
  }

  /** A core per node JVM, plus one for the proxy and one for the load generator and sink. */
  static boolean enoughCores(int cores, int shards) {
    return cores >= 3 * shards + 2;
  }

  /** The run the others are compared with: the smallest shard count (normally 1). */
  static Point base(List<Point> points) {
    return points.stream().min(Comparator.comparingInt(Point::shards)).orElseThrow();
  }

  /** throughput(N) ÷ (N ÷ base × throughput(base)) of acceptance. */
  static double acceptEfficiency(Point p, Point base) {
    return Efficiency.scaling(
        p.accept().opsPerSec(), p.shards(), base.accept().opsPerSec(), base.shards());
  }

  /** throughput(N) ÷ (N ÷ base × throughput(base)) of delivery. */
  static double deliverEfficiency(Point p, Point base) {
    return Efficiency.scaling(
        p.deliver().deliveriesPerSec(),
        p.shards(),
        base.deliver().deliveriesPerSec(),
        base.shards());
  }

  /**
   * {@code {"scenario":"scale","runs":[{"shards","accept":{…},"deliver":{…},"acceptEfficiency",
   * "deliverEfficiency"}…],"baseShards","cores","meaningful"}}.
   */
  static ResultLine resultLine(List<Point> points, int cores) {
    Point base = base(points);
    List<ResultLine> runs = new ArrayList<>();
    for (Point p : points) {
      runs.add(
          ResultLine.object()
              .put("shards", p.shards())
              .put(
                  "accept",
                  ResultLine.object()
                      .put("opsPerSec", p.accept().opsPerSec(), 1)
                      .put("p50Ms", p.accept().p50Ms(), 3)
                      .put("p99Ms", p.accept().p99Ms(), 3))
              .put(
                  "deliver",
                  ResultLine.object()
                      .put("deliveriesPerSec", p.deliver().deliveriesPerSec(), 1)
                      .put("bound", p.bound(), 1)
                      .put(
                          "efficiency",
                          Efficiency.ofBound(p.deliver().deliveriesPerSec(), p.bound()),
                          3)
                      .put("lost", p.deliver().accounting().lost())
                      .put("duplicates", p.deliver().accounting().duplicates()))
              .put("acceptEfficiency", acceptEfficiency(p, base), 3)
              .put("deliverEfficiency", deliverEfficiency(p, base), 3));
    }
    int largest = points.stream().mapToInt(Point::shards).max().orElse(1);
    return ResultLine.of("scale")
        .putObjects("runs", runs)
        .put("baseShards", base.shards())
        .put("cores", cores)
        .put("meaningful", enoughCores(cores, largest));
  }

  private Report report(List<Point> points, int cores) {
    Point base = base(points);
    MarkdownTable table =
        new MarkdownTable(
            "shards",
            "accepted/s",
            "p99 ms",
            "accept efficiency",
            "delivered/s",
            "deliver efficiency",
            "vs bound",
            "lost");
    List<String> categories = new ArrayList<>();
    List<Double> accepted = new ArrayList<>();
    List<Double> delivered = new ArrayList<>();
    List<Double> acceptEff = new ArrayList<>();
    List<Double> deliverEff = new ArrayList<>();
    boolean ok = true;
    for (Point p : points) {
      table.row(
          p.shards(),
          MarkdownTable.number(p.accept().opsPerSec(), 1),
          MarkdownTable.number(p.accept().p99Ms(), 2),
          MarkdownTable.number(acceptEfficiency(p, base), 3),
          MarkdownTable.number(p.deliver().deliveriesPerSec(), 1),
          MarkdownTable.number(deliverEfficiency(p, base), 3),
          MarkdownTable.number(Efficiency.ofBound(p.deliver().deliveriesPerSec(), p.bound()), 3),
          p.deliver().accounting().lost());
      categories.add(p.shards() + (p.shards() == 1 ? " shard" : " shards"));
      accepted.add(p.accept().opsPerSec());
      delivered.add(p.deliver().deliveriesPerSec());
      acceptEff.add(acceptEfficiency(p, base));
      deliverEff.add(deliverEfficiency(p, base));
      ok &= p.accept().ok() > 0 && p.deliver().accounting().lost() == 0;
    }
    Map<String, List<Double>> throughput = Charts.ordered();
    throughput.put("accepted/s", accepted);
    throughput.put("delivered/s", delivered);
    Map<String, List<Double>> efficiency = Charts.ordered();
    efficiency.put("accept", acceptEff);
    efficiency.put("deliver", deliverEff);
    int largest = points.stream().mapToInt(Point::shards).max().orElse(1);
    String body =
        "## Result\n\n"
            + String.format(
                "accept: %d clients, %d-byte bodies, %s s; deliver: %d jobs per shard, %d ms sink"
                    + " latency, %d workers per leader. Efficiency against %d shard(s).%n%n",
                concurrency,
                payloadBytes,
                duration.toSeconds(),
                jobsPerShard,
                latencyMs,
                workers,
                base.shards())
            + table
            + (enoughCores(cores, largest)
                ? ""
                : "\n**"
                    + cores
                    + " cores for every node, proxy and load generator: these efficiencies say"
                    + " little on this machine.**\n");
    List<Charts.Named> charts =
        List.of(
            Charts.bars(
                "scale-throughput",
                "Throughput by shard count",
                "per second",
                categories,
                throughput),
            Charts.bars(
                "scale-efficiency",
                "Scaling efficiency (1.0 = linear)",
                "efficiency",
                categories,
                efficiency));
    return new Report("scale", resultLine(points, cores), ResultLine.object(), body, charts, ok);
  }
}
