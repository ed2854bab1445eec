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
 * sandbox up} on the same data) before the next kill. With {@code --freeze-ms} the leader is frozen
 * (SIGSTOP) for that long instead and then resumed (SIGCONT), as a long GC pause or a partition
 * would. Then drain and count lost and duplicated deliveries, and the duplicates per attempt in
 * flight on the leaders when they were killed or frozen.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description =
        "Kill (or freeze) shard leaders under steady load; resume time, lost and duplicate jobs.")
final class FailoverCommand implements Callable<Integer> {
  /**
   * One kill (or freeze) and what followed it; {@code inFlight} is the leader's {@code running}
   * just before, -1 when it did not answer.
   */
  record KillResult(
      String shard,
      String node,
      String newLeader,
      double newLeaderSeconds,
      ResumeTimes.Resume resume,
      double atSeconds,
      int inFlight) {
    ResultLine toJson() {
      return ResultLine.object()
          .put("shard", shard)
          .put("node", node)
          .put("newLeader", newLeader)
          .put("newLeaderSeconds", newLeaderSeconds, 3)
          .put("acceptResumeSeconds", resume.acceptSeconds(), 3)
          .put("deliveryResumeSeconds", resume.deliverySeconds(), 3)
          .put("resumeSeconds", resume.seconds(), 3)
          .put("inFlightAtKill", inFlight);
    }
  }

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  /**
   * {@code {"scenario":"failover","resumeSecondsP50","resumeSecondsMax","lost","duplicates",…}}:
   * resume times over the kills (nearest rank; a shard that never resumed makes the max null), then
   * {@code freezeMs} (0: SIGKILL), {@code inFlightAtKill} (attempts in flight on the leaders just
   * before, summed over the kills) and {@code duplicatesPerInFlight} (null when none were).
   */
  static ResultLine resultLine(
      List<KillResult> kills,
      DeliveryAccounting accounting,
      long submitErrors,
      int shards,
      double rate,
      long freezeMs) {
    List<Double> resumes = kills.stream().map(r -> r.resume().seconds()).toList();
    long inFlight = inFlightAtKill(kills);
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
        .put("freezeMs", freezeMs)
        .put("inFlightAtKill", inFlight)
        .put("duplicatesPerInFlight", duplicatesPerInFlight(accounting.duplicates(), inFlight), 3)
        .putObjects("killed", kills.stream().map(KillResult::toJson).toList());
  }

  /** Attempts in flight on the leaders just before they went, over the kills that answered. */
  static long inFlightAtKill(List<KillResult> kills) {
    return kills.stream().mapToLong(k -> Math.max(0, k.inFlight())).sum();
  }

  /** Duplicates ÷ attempts in flight at the kills; NaN (null in JSON) when none were. */
  static double duplicatesPerInFlight(long duplicates, long inFlight) {
    return inFlight == 0 ? Double.NaN : (double) duplicates / inFlight;
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
      names = "--freeze-ms",
      defaultValue = "0",
      description =
          "Freeze the leader (SIGSTOP) this many ms, then resume it (SIGCONT), instead of"
              + " killing it; 0 kills it with SIGKILL (default ${DEFAULT-VALUE})")
  long freezeMs;

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
    if (kills < 1 || rate <= 0 || clients < 1 || workers < 1 || latencyMs < 0 || freezeMs < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--kills >= 1, --rate > 0, --clients >= 1, --workers >= 1, --latency-ms >= 0,"
              + " --freeze-ms >= 0");
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
                sut.apiKey().orElse(null),
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
      List<Integer> inFlight = new ArrayList<>();
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
                          + sink.duplicates()
                          + " inFlightAtKill="
                          + inFlight.stream().mapToInt(i -> Math.max(0, i)).sum())) {
        load.start();
        Thread.sleep(warmup.toMillis());
        for (int k = 0; k < kills; k++) {
          String shard = shardIds.get(k % shardIds.size());
          phase.set("kill " + (k + 1) + "/" + kills + " on " + shard);
          String leader =
              watch
                  .awaitLeader(shard, null, resumeTimeout)
                  .orElseThrow(() -> new IOException(shard + " has no leader to kill"));
          // Read just before the signal: what the leader has in flight is what may run twice.
          int running = watch.running(leader).orElse(-1);
          if (running < 0) {
            console.say("%s did not answer GET /status before the kill", leader);
          }
          if (freezeMs > 0) {
            freezeOnce(
                watch, shard, leader, running, killList, inFlight, newLeaders, newLeaderNanos);
          } else {
            Sandbox.Kill kill = sandbox.kill(leader);
            killList.add(kill);
            inFlight.add(running);
            console.say(
                "killed %s (pid %d, %d attempt(s) in flight), the leader of %s",
                leader, kill.pid(), running, shard);
            String next = watch.awaitLeader(shard, leader, resumeTimeout).orElse(null);
            newLeaders.add(next);
            newLeaderNanos.add(next == null ? Long.MAX_VALUE : System.nanoTime());
            awaitResume(kill, shard);
            phase.set("restarting " + leader);
            sandbox.startStopped();
          }
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
      return report(shardIds, killList, inFlight, newLeaders, newLeaderNanos, start, end);
    }

    /**
     * Freezes the leader, and resumes it {@code --freeze-ms} after the signal whatever the shard
     * does meanwhile (a thread of its own), so the pause has the length asked for.
     */
    private void freezeOnce(
        LeaderWatch watch,
        String shard,
        String leader,
        int running,
        List<Sandbox.Kill> killList,
        List<Integer> inFlight,
        List<String> newLeaders,
        List<Long> newLeaderNanos)
        throws IOException, InterruptedException {
      Sandbox.Kill frozen = sandbox.freeze(leader);
      killList.add(frozen);
      inFlight.add(running);
      console.say(
          "froze %s (pid %d, %d attempt(s) in flight), the leader of %s, for %d ms",
          leader, frozen.pid(), running, shard, freezeMs);
      AtomicReference<Exception> thawFailure = new AtomicReference<>();
      Thread thaw =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      long wait = frozen.signalNanos() + freezeMs * 1_000_000 - System.nanoTime();
                      if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                      }
                    } catch (InterruptedException e) {
                      // resume it now: a run that stops must not leave a node frozen
                    }
                    try {
                      sandbox.thaw(frozen);
                    } catch (IOException | InterruptedException | RuntimeException e) {
                      thawFailure.set(e);
                    }
                  });
      try {
        String next = watch.awaitLeader(shard, leader, resumeTimeout).orElse(null);
        newLeaders.add(next);
        newLeaderNanos.add(next == null ? Long.MAX_VALUE : System.nanoTime());
        awaitResume(frozen, shard);
        phase.set("resuming " + leader);
      } finally {
        boolean interrupted = false;
        if (Thread.interrupted()) {
          interrupted = true;
          thaw.interrupt();
        }
        thaw.join();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (thawFailure.get() != null) {
        throw new IOException("could not resume " + leader, thawFailure.get());
      }
      console.say("resumed %s after %d ms", leader, freezeMs);
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
        List<Integer> inFlight,
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
                (kill.signalNanos() - start) / 1e9,
                inFlight.get(k)));
      }
      List<Double> resumes = results.stream().map(r -> r.resume().seconds()).toList();
      DeliveryAccounting accounting =
          DeliveryAccounting.count(load.acknowledged(), sink.receiptCounts());
      double p50 = Percentiles.nearestRank(resumes, 50);
      double max = Percentiles.max(resumes);
      ResultLine result =
          resultLine(results, accounting, load.failed(), shardIds.size(), rate, freezeMs);
      long inFlightAtKill = inFlightAtKill(results);
      console.say(
          "failover: %d duplicate(s), %d attempt(s) in flight at the %s, duplicates per in-flight"
              + " %s; lost %d",
          accounting.duplicates(),
          inFlightAtKill,
          freezeMs > 0 ? "freezes" : "kills",
          MarkdownTable.number(duplicatesPerInFlight(accounting.duplicates(), inFlightAtKill), 2),
          accounting.lost());
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
              "resume s",
              "in flight");
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
            MarkdownTable.number(r.resume().seconds(), 2),
            r.inFlight() < 0 ? "?" : r.inFlight());
      }
      long inFlightAtKill = inFlightAtKill(results);
      return "## Result\n\n"
          + String.format(
              "%d %s, %d shard(s), steady load %s jobs/s from %d clients, sink latency %d ms."
                  + "%n%n",
              results.size(),
              freezeMs > 0
                  ? "freeze(s) of " + freezeMs + " ms (SIGSTOP, then SIGCONT)"
                  : "kill(s) (SIGKILL)",
              shardCount,
              MarkdownTable.number(rate, 0),
              clients,
              latencyMs)
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
          + " delivered without an acknowledgement). Attempts in flight on the leaders just"
          + " before: **"
          + inFlightAtKill
          + "**; duplicates per attempt in flight **"
          + MarkdownTable.number(duplicatesPerInFlight(accounting.duplicates(), inFlightAtKill), 2)
          + "**.\n\n"
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
