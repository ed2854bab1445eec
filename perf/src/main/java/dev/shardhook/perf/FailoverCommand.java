package dev.shardhook.perf;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Leader failover under steady load: K times, kill -9 the leader of a shard (shards in turn),
 * measure how long until that shard accepts and delivers again, and restart the dead node ({@code
 * sandbox up} on the same data) before the next kill. Then drain and count lost and duplicated
 * deliveries.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = "Kill shard leaders under steady load; resume time, lost and duplicate jobs.")
final class FailoverCommand implements Callable<Integer> {
  /** One kill and what followed it. */
  record KillResult(
      String shard,
      String node,
      String newLeader,
      double newLeaderSeconds,
      ResumeTimes.Resume resume,
      double atSeconds) {
    ResultLine toJson() {
      return ResultLine.object()
          .put("shard", shard)
          .put("node", node)
          .put("newLeader", newLeader)
          .put("newLeaderSeconds", newLeaderSeconds, 3)
          .put("acceptResumeSeconds", resume.acceptSeconds(), 3)
          .put("deliveryResumeSeconds", resume.deliverySeconds(), 3)
          .put("resumeSeconds", resume.seconds(), 3);
    }
  }

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  /**
   * {@code {"scenario":"failover","resumeSecondsP50","resumeSecondsMax","lost","duplicates",…}}:
   * resume times over the kills (nearest rank; a shard that never resumed makes the max null).
   */
  static ResultLine resultLine(
      List<KillResult> kills,
      DeliveryAccounting accounting,
      long submitErrors,
      int shards,
      double rate) {
    List<Double> resumes = kills.stream().map(r -> r.resume().seconds()).toList();
    return ResultLine.of("failover")
        .put("resumeSecondsP50", Percentiles.nearestRank(resumes, 50), 3)
        .put("resumeSecondsMax", Percentiles.max(resumes), 3)
        .put("lost", accounting.lost())
        .put("duplicates", accounting.duplicates())
        .put("kills", kills.size())
        .put("shards", shards)
        .put("ratePerSec", rate, 1)
        .put("accepted", accounting.acknowledged())
        .put("delivered", accounting.delivered())
        .put("submitErrors", submitErrors)
        .put("unacknowledgedDelivered", accounting.unacknowledged())
        .putObjects("killed", kills.stream().map(KillResult::toJson).toList());
  }

  @Option(
      names = "--kills",
      defaultValue = "3",
      description = "Leader kills (default ${DEFAULT-VALUE})")
  int kills;

  @Option(names = "--shards", defaultValue = "1", description = "Shards (default ${DEFAULT-VALUE})")
  int shards;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description = "Jobs per second of steady load (default ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--clients",
      defaultValue = "16",
      description = "Concurrent submitters of the steady load (default ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "Delivery workers per leader (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--latency-ms",
      defaultValue = "10",
      description = "Sink latency per request (default ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(
      names = "--payload",
      defaultValue = "64",
      description = "Job body bytes (default ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description = "Steady load before the first kill (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--interval",
      defaultValue = "5s",
      description = "Steady load between a restart and the next kill (default ${DEFAULT-VALUE})")
  Duration interval;

  @Option(
      names = "--resume-timeout",
      defaultValue = "60s",
      description = "Longest wait for a shard to resume after a kill (default ${DEFAULT-VALUE})")
  Duration resumeTimeout;

  @Option(
      names = "--drain-timeout",
      defaultValue = "120s",
      description = "Longest wait for the backlog after the load stops (default ${DEFAULT-VALUE})")
  Duration drainTimeout;

  @Option(
      names = "--settle",
      defaultValue = "2s",
      description =
          "Keep listening this long after the drain, for duplicates (default ${DEFAULT-VALUE})")
  Duration settle;

  private final ScenarioRunner.Streams streams;

  FailoverCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (run.entry != null) {
      throw new ParameterException(
          spec.commandLine(),
          "failover kills nodes, so it needs a sandbox: drop --entry (or use --sandbox DIR)");
    }
    if (kills < 1 || rate <= 0 || clients < 1 || workers < 1 || latencyMs < 0) {
      throw new IllegalArgumentException(
          "--kills >= 1, --rate > 0, --clients >= 1, --workers >= 1, --latency-ms >= 0");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    Queue<ResumeTimes.Receipt> receipts = new ConcurrentLinkedQueue<>();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, workers, null), console);
        WebhookSink sink =
            WebhookSink.start(
                List.of("127.0.0.1"), 0, Duration.ofMillis(latencyMs), receipts::add);
        SteadyLoad load =
            new SteadyLoad(
                sut.entries(),
                rate,
                clients,
                sink.urls(),
                JobBodies.payload(payloadBytes),
                "fo-" + tag,
                Duration.ofSeconds(60),
                console)) {
      Sandbox sandbox = sut.sandbox().orElseThrow();
      Report report = new Session(sandbox, sink, load, receipts, console).run();
      if (!report.ok()) {
        sut.markFailed();
      }
      return runner.finish(report);
    }
  }

  /** One failover run against a started sandbox. */
  private final class Session {
    private final Sandbox sandbox;
    private final WebhookSink sink;
    private final SteadyLoad load;
    private final Queue<ResumeTimes.Receipt> receipts;
    private final Console console;
    private final AtomicInteger killsDone = new AtomicInteger();
    private final AtomicReference<String> phase = new AtomicReference<>("warm-up");

    Session(
        Sandbox sandbox,
        WebhookSink sink,
        SteadyLoad load,
        Queue<ResumeTimes.Receipt> receipts,
        Console console) {
      this.sandbox = sandbox;
      this.sink = sink;
      this.load = load;
      this.receipts = receipts;
      this.console = console;
    }

    Report run() throws Exception {
      List<String> shardIds =
          sandbox.topology().shards().stream().map(SandboxTopology.Shard::id).toList();
      List<Sandbox.Kill> killList = new ArrayList<>();
      List<String> newLeaders = new ArrayList<>();
      List<Long> newLeaderNanos = new ArrayList<>();
      long start = System.nanoTime();
      long end;
      try (LeaderWatch watch = new LeaderWatch(sandbox);
          Progress bar =
              Progress.start(
                  console,
                  "failover",
                  () -> (double) killsDone.get() / kills,
                  () ->
                      phase.get()
                          + " accepted="
                          + load.acknowledgedCount()
                          + " delivered="
                          + sink.distinct()
                          + " duplicates="
                          + sink.duplicates())) {
        load.start();
        Thread.sleep(warmup.toMillis());
        for (int k = 0; k < kills; k++) {
          String shard = shardIds.get(k % shardIds.size());
          phase.set("kill " + (k + 1) + "/" + kills + " on " + shard);
          String leader =
              watch
                  .awaitLeader(shard, null, resumeTimeout)
                  .orElseThrow(() -> new IOException(shard + " has no leader to kill"));
          Sandbox.Kill kill = sandbox.kill(leader);
          killList.add(kill);
          console.say("killed %s (pid %d), the leader of %s", leader, kill.pid(), shard);
          String next = watch.awaitLeader(shard, leader, resumeTimeout).orElse(null);
          newLeaders.add(next);
          newLeaderNanos.add(next == null ? Long.MAX_VALUE : System.nanoTime());
          awaitResume(kill, shard);
          phase.set("restarting " + leader);
          sandbox.startStopped();
          killsDone.incrementAndGet();
          phase.set("steady");
          Thread.sleep(interval.toMillis());
        }
        phase.set("draining");
        load.stop();
        end = System.nanoTime();
        awaitDrain();
        Thread.sleep(settle.toMillis());
      }
      return report(shardIds, killList, newLeaders, newLeaderNanos, start, end);
    }

    private void awaitResume(Sandbox.Kill kill, String shard) throws InterruptedException {
      long deadline = kill.signalNanos() + resumeTimeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!Double.isNaN(resume(kill, shard).seconds())) {
          return;
        }
        Thread.sleep(100);
      }
      console.say("%s did not resume within %ss", shard, resumeTimeout.toSeconds());
    }

    private ResumeTimes.Resume resume(Sandbox.Kill kill, String shard) {
      // Live views, no copies: this runs every 100 ms while the shard recovers.
      return ResumeTimes.after(
          kill.signalNanos(),
          kill.deadNanos(),
          shard,
          load.acceptedView(),
          Collections.unmodifiableCollection(receipts),
          load.shardOfView());
    }

    private void awaitDrain() throws InterruptedException {
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      Set<String> acknowledged = load.acknowledged();
      while (System.nanoTime() < deadline && !acknowledged.stream().allMatch(sink::received)) {
        Thread.sleep(100);
      }
    }

    private Report report(
        List<String> shardIds,
        List<Sandbox.Kill> killList,
        List<String> newLeaders,
        List<Long> newLeaderNanos,
        long start,
        long end) {
      List<KillResult> results = new ArrayList<>();
      for (int k = 0; k < killList.size(); k++) {
        Sandbox.Kill kill = killList.get(k);
        String shard = shardIds.get(k % shardIds.size());
        long replaced = newLeaderNanos.get(k);
        results.add(
            new KillResult(
                shard,
                kill.nodeId(),
                newLeaders.get(k),
                replaced == Long.MAX_VALUE ? Double.NaN : (replaced - kill.signalNanos()) / 1e9,
                resume(kill, shard),
                (kill.signalNanos() - start) / 1e9));
      }
      List<Double> resumes = results.stream().map(r -> r.resume().seconds()).toList();
      DeliveryAccounting accounting =
          DeliveryAccounting.count(load.acknowledged(), sink.receiptCounts());
      double p50 = Percentiles.nearestRank(resumes, 50);
      double max = Percentiles.max(resumes);
      ResultLine result = resultLine(results, accounting, load.failed(), shardIds.size(), rate);
      return new Report(
          "failover",
          result,
          timelineJson(start, end),
          body(results, shardIds.size(), accounting, p50, max),
          charts(results, start, end),
          accounting.lost() == 0 && !Double.isNaN(max) && accounting.acknowledged() > 0);
    }

    private ResultLine timelineJson(long start, long end) {
      List<double[]> accepted = acceptedPerSecond(start, end);
      List<double[]> delivered = deliveredPerSecond(start, end);
      return ResultLine.object()
          .putNumbers("seconds", accepted.stream().map(p -> p[0]).toList(), 2)
          .putNumbers("acceptedPerSec", accepted.stream().map(p -> p[1]).toList(), 1)
          .putNumbers("deliveredPerSec", delivered.stream().map(p -> p[1]).toList(), 1);
    }

    private List<double[]> acceptedPerSecond(long start, long end) {
      return RateSeries.perSecond(
          load.accepted().stream().map(ResumeTimes.Accepted::answeredNanos).toList(),
          start,
          end,
          0.5);
    }

    private List<double[]> deliveredPerSecond(long start, long end) {
      return RateSeries.perSecond(
          receipts.stream().map(ResumeTimes.Receipt::arrivedNanos).toList(), start, end, 0.5);
    }

    private String body(
        List<KillResult> results,
        int shardCount,
        DeliveryAccounting accounting,
        double p50,
        double max) {
      MarkdownTable table =
          new MarkdownTable(
              "#",
              "shard",
              "killed",
              "new leader",
              "new leader after s",
              "accepts after s",
              "delivers after s",
              "resume s");
      for (int i = 0; i < results.size(); i++) {
        KillResult r = results.get(i);
        table.row(
            i + 1,
            r.shard(),
            r.node(),
            r.newLeader(),
            MarkdownTable.number(r.newLeaderSeconds(), 2),
            MarkdownTable.number(r.resume().acceptSeconds(), 2),
            MarkdownTable.number(r.resume().deliverySeconds(), 2),
            MarkdownTable.number(r.resume().seconds(), 2));
      }
      return "## Result\n\n"
          + String.format(
              "%d kill(s), %d shard(s), steady load %s jobs/s from %d clients, sink latency %d ms."
                  + "%n%n",
              results.size(), shardCount, MarkdownTable.number(rate, 0), clients, latencyMs)
          + "Resume p50 **"
          + MarkdownTable.number(p50, 2)
          + " s**, max **"
          + MarkdownTable.number(max, 2)
          + " s**; lost **"
          + accounting.lost()
          + "**, duplicates **"
          + accounting.duplicates()
          + "** ("
          + accounting.acknowledged()
          + " acknowledged, "
          + accounting.delivered()
          + " delivered, "
          + load.failed()
          + " given up by the load generator, "
          + accounting.unacknowledged()
          + " delivered without an acknowledgement).\n\n"
          + table;
    }

    private List<Charts.Named> charts(List<KillResult> results, long start, long end) {
      Map<String, List<double[]>> series = Charts.ordered();
      series.put("accepted/s", acceptedPerSecond(start, end));
      series.put("delivered/s", deliveredPerSecond(start, end));
      Map<String, List<Double>> resume = Charts.ordered();
      resume.put("accepts again", results.stream().map(r -> r.resume().acceptSeconds()).toList());
      resume.put(
          "delivers again", results.stream().map(r -> r.resume().deliverySeconds()).toList());
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        labels.add("#" + (i + 1) + " " + results.get(i).node());
      }
      return List.of(
          Charts.lines(
              "failover-timeline",
              "Steady load through leader kills",
              "seconds",
              "jobs per second",
              series,
              "kill",
              results.stream().map(KillResult::atSeconds).toList()),
          Charts.bars("failover-resume", "Seconds from kill to resume", "seconds", labels, resume));
    }
  }
}
