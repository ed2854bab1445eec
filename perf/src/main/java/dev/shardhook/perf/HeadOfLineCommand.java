package dev.shardhook.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fair delivery: {@code --dead-jobs} jobs for a receiver that accepts connections and never
 * answers, then a steady trickle of jobs for a healthy receiver on another port; reports the
 * submit-to-delivery percentiles of the healthy ones (target: p95 under 1 s).
 */
@Command(
    name = "headofline",
    mixinStandardHelpOptions = true,
    description =
        "Jobs stuck on a dead receiver must not delay a healthy one: submit-to-delivery p95.")
final class HeadOfLineCommand implements Callable<Integer> {
  static final double TARGET_P95_MS = 1000;

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--dead-jobs",
      defaultValue = "3000",
      description = "Jobs for the dead receiver (default ${DEFAULT-VALUE})")
  int deadJobs;

  @Option(
      names = "--healthy-jobs",
      defaultValue = "200",
      description = "Jobs for the healthy receiver, one at a time (default ${DEFAULT-VALUE})")
  int healthyJobs;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Healthy jobs submitted per second (default ${DEFAULT-VALUE})")
  int rate;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "Delivery workers per leader (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--timeout",
      defaultValue = "120s",
      description = "Give up waiting for the healthy deliveries after (default ${DEFAULT-VALUE})")
  Duration timeout;

  private final ScenarioRunner.Streams streams;

  HeadOfLineCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (deadJobs < 0 || healthyJobs < 1 || rate < 1 || workers < 1) {
      throw new IllegalArgumentException(
          "--dead-jobs >= 0, --healthy-jobs >= 1, --rate >= 1, --workers >= 1");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    Map<String, Long> submittedNanos = new ConcurrentHashMap<>();
    Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();
    List<Double> latenciesMs;
    try (Target sut = Target.open(run, new Sandbox.Spec(1, workers, null), console);
        DeadReceiver dead = new DeadReceiver();
        WebhookSink sink =
            WebhookSink.start(
                List.of("127.0.0.1"),
                0,
                Duration.ZERO,
                r -> arrivedNanos.putIfAbsent(r.id(), r.arrivedNanos()));
        NodeHttp http = sut.http(Duration.ofSeconds(60))) {
      console.say(
          "headofline: %d jobs for a dead receiver (%s), then %d for %s at %d/s",
          deadJobs, dead.url(), healthyJobs, sink.urls().get(0), rate);
      List<BatchSubmitter.PendingJob> stuck = new ArrayList<>();
      for (int i = 0; i < deadJobs; i++) {
        String id = "dead-" + tag + "-" + i;
        stuck.add(
            new BatchSubmitter.PendingJob(
                id,
                JobBodies.immediateJob(id, dead.url(), "{}")
                    .replace("{\"id\"", "{\"timeoutMs\":30000,\"id\"")));
      }
      new BatchSubmitter(http, 500, 4, Duration.ofSeconds(60), console.err())
          .submitAll(stuck, id -> {});
      long wait = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (dead.accepted() == 0 && System.nanoTime() < wait) {
        Thread.sleep(20);
      }
      console.say("dead receiver holds %d connections", dead.accepted());
      String healthyUrl = sink.urls().get(0).toString();
      long intervalNanos = 1_000_000_000L / rate;
      long next = System.nanoTime();
      for (int i = 0; i < healthyJobs; i++) {
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        next += intervalNanos;
        String id = "healthy-" + tag + "-" + i;
        submittedNanos.put(id, System.nanoTime());
        NodeHttp.Reply reply = http.postJson("/jobs", JobBodies.immediateJob(id, healthyUrl, "{}"));
        if (reply.status() != 201 && reply.status() != 200) {
          submittedNanos.remove(id);
          console.say("healthy job %s refused: %d %s", id, reply.status(), reply.body());
        }
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!arrivedNanos.keySet().containsAll(submittedNanos.keySet())
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      latenciesMs = new ArrayList<>();
      for (var e : submittedNanos.entrySet()) {
        Long at = arrivedNanos.get(e.getKey());
        if (at != null) {
          latenciesMs.add((at - e.getValue()) / 1e6);
        }
      }
      if (latenciesMs.size() < submittedNanos.size()) {
        sut.markFailed();
      }
    }
    return runner.finish(report(latenciesMs));
  }

  private Report report(List<Double> latenciesMs) {
    double p50 = latenciesMs.isEmpty() ? Double.NaN : Percentiles.nearestRank(latenciesMs, 50);
    double p95 = latenciesMs.isEmpty() ? Double.NaN : Percentiles.nearestRank(latenciesMs, 95);
    double max = latenciesMs.isEmpty() ? Double.NaN : Percentiles.max(latenciesMs);
    ResultLine result =
        ResultLine.of("headofline")
            .put("deadJobs", deadJobs)
            .put("healthyJobs", healthyJobs)
            .put("delivered", latenciesMs.size())
            .put("p50Ms", p50, 1)
            .put("p95Ms", p95, 1)
            .put("maxMs", max, 1)
            .put("targetP95Ms", TARGET_P95_MS, 0);
    MarkdownTable table = new MarkdownTable("delivered", "p50 ms", "p95 ms", "max ms");
    table.row(
        latenciesMs.size() + " / " + healthyJobs,
        MarkdownTable.number(p50, 1),
        MarkdownTable.number(p95, 1),
        MarkdownTable.number(max, 1));
    String body =
        "## Result\n\n"
            + String.format(
                "%d jobs stuck on a receiver that never answers; %d jobs for a healthy receiver at"
                    + " %d/s, %d worker(s). Submit to delivery:%n%n",
                deadJobs, healthyJobs, rate, workers)
            + table;
    boolean ok = latenciesMs.size() == healthyJobs && p95 < TARGET_P95_MS;
    return new Report("headofline", result, ResultLine.object(), body, List.of(), ok);
  }

  /** Accepts connections and never answers; holds them until closed. */
  private static final class DeadReceiver implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    DeadReceiver() throws IOException {
      socket = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .name("dead-receiver")
          .start(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    held.add(socket.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/dead";
    }

    int accepted() {
      return held.size();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
