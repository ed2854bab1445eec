package dev.shardhook.node.raft;

import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.store.JobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's schedule loop (README, "Schedules"): every {@link Config#interval()} it proposes one
 * {@link Command.FireSchedule} per due firing of each running schedule, in time order, each with
 * its scheduled time in the entry, and waits for each to commit. Where a schedule stands lives only
 * in the store, written by apply, so a new leader starts from the last firing applied and fires
 * what the old one left, each once.
 *
 * <p>Firings late by less than {@link Config#catchUpAfter()} all fire (a leader change or a slow
 * round is not an outage); older ones were missed while the shard was down and follow the
 * schedule's policy in one entry: {@code fireOnce} fires the latest of them, {@code skip} none.
 * Runs only while this node leads the term it was started for.
 */
public final class ScheduleLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleLoop.class);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * @param interval how often the loop looks for due firings
   * @param catchUpAfter firings later than this are missed: the catch-up policy decides
   */
  public record Config(Duration interval, Duration catchUpAfter) {
    public Config {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(catchUpAfter, "catchUpAfter");
      if (interval.toMillis() < 1 || catchUpAfter.toMillis() < 1) {
        throw new IllegalArgumentException("schedule interval and catch-up must be positive");
      }
    }
  }

  private final RaftShard shard;
  private final JobStore store;
  private final Config config;
  private final Clock clock;
  private final Counter firings;
  private final Counter missed;
  private final Counter failures;
  private final Timer lag;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("schedule-loop").daemon().factory());
  private ScheduledFuture<?> rounds;

  public ScheduleLoop(
      RaftShard shard, JobStore store, Config config, Clock clock, MeterRegistry registry) {
    this.shard = shard;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.firings =
        Counter.builder("shardhook.schedule.firings")
            .description("Jobs fired by schedules (counted by the leader that proposed them)")
            .register(registry);
    this.missed =
        Counter.builder("shardhook.schedule.missed.firings")
            .description("Missed schedule firings the catch-up policy skipped")
            .register(registry);
    this.failures =
        Counter.builder("shardhook.schedule.failures")
            .description("Schedule rounds that failed (logged; the next round tries again)")
            .register(registry);
    this.lag =
        Timer.builder("shardhook.schedule.fire.lag")
            .description("From a firing's scheduled time to the commit of its job")
            .register(registry);
    Gauge.builder("shardhook.schedules", store, ScheduleLoop::count)
        .description("Schedules stored on this shard (all tenants, paused and done included)")
        .register(registry);
  }

  private static double count(JobStore store) {
    try {
      return store.schedules().size();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Starts firing for {@code term}; call when this node becomes the ready leader. */
  public synchronized void start(long term) {
    stop();
    if (timer.isShutdown()) {
      return;
    }
    long ms = config.interval().toMillis();
    rounds = timer.scheduleWithFixedDelay(() -> round(term), 0, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops firing; a firing under way ends after its entry. */
  public synchronized void stop() {
    if (rounds != null) {
      rounds.cancel(false);
      rounds = null;
    }
  }

  void round(long term) {
    List<ScheduleRecord> all;
    try {
      all = store.schedules();
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn("schedule round could not read the schedules; the next one tries again", e);
      return;
    }
    for (ScheduleRecord s : all) {
      if (!shard.leads(term)) {
        return;
      }
      if (s.paused() || s.done() || s.nextFireAtMs() > clock.millis()) {
        continue;
      }
      try {
        fireDue(term, s);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // One schedule's trouble must not hold the others: the next round tries it again.
        failures.increment();
        LOG.warn("schedule {} could not fire; the next round tries again", s.id(), e);
      }
    }
  }

  private void fireDue(long term, ScheduleRecord s) throws Exception {
    for (Command.FireSchedule fire :
        FiringPlan.of(s, clock.millis(), config.catchUpAfter().toMillis())) {
      if (!shard.leads(term) || !propose(fire, fire.fire())) {
        return;
      }
      if (fire.skipped() > 0) {
        missed.increment(fire.skipped());
      }
    }
  }

  /** Proposes {@code fire} and waits for it; false when it did not apply (handled already). */
  private boolean propose(Command.FireSchedule fire, boolean fires) throws Exception {
    RaftClientReply reply =
        shard
            .propose(CommandCodec.proposal(fire))
            .get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!reply.isSuccess()) {
      throw new IllegalStateException("schedule firing refused: " + reply.getException());
    }
    ScheduleResult result = CommandCodec.scheduleResult(reply.getMessage().getContent());
    if (result.kind() != ScheduleResult.Kind.FIRED) {
      return false;
    }
    if (fires) {
      firings.increment();
      lag.record(Duration.ofMillis(Math.max(0, clock.millis() - fire.fireAtMs())));
    }
    return true;
  }

  @Override
  public synchronized void close() {
    stop();
    timer.shutdownNow();
  }
}
