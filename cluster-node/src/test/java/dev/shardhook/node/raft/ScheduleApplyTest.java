package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.api.ScheduleRequest;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.store.JobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the schedule entries change, with explicit times (README, "Schedules"): a firing creates its
 * job once, whoever proposes it and however often; the catch-up policies fire the latest missed
 * firing or none; pause, resume and delete.
 */
class ScheduleApplyTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final long T = T0.toEpochMilli();
  static final String ID = "sch_0123456789abcdef0123456789abcdef";
  static final String TEMPLATE =
      "{\"url\":\"http://127.0.0.1:1/tick\",\"method\":\"POST\",\"headers\":{},\"body\":\"{}\","
          + "\"timeoutMs\":1000,\"retry\":{\"maxAttempts\":3,\"initialBackoffMs\":100,"
          + "\"maxBackoffMs\":1000,\"multiplier\":2.0,\"maxRetryDurationMs\":0}}";

  @TempDir Path dir;
  private long index;

  static ScheduleRecord schedule(String cron, String catchUp, long next) {
    return new ScheduleRecord(
        ID, cron, "spring", "UTC", TEMPLATE, "fp-1", null, catchUp, false, 0, null, next, 0, 0);
  }

  private ScheduleResult apply(EntryApplier applier, Command c) {
    return (ScheduleResult)
        applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, ++index).reply();
  }

  private static long sec(long ms) {
    return ms / 1000;
  }

  @Test
  void aFiringCreatesItsJobOnceAndMovesTheScheduleOn() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      ScheduleResult created =
          apply(applier, new Command.PutSchedule(schedule("* * * * * *", null, T), T - 500));
      assertThat(created.kind()).isEqualTo(ScheduleResult.Kind.CREATED);
      assertThat(created.schedule().createdAtMs()).isEqualTo(T - 500);

      Command.FireSchedule fire = new Command.FireSchedule(ID, T, true, 0, T + 1000, T + 20);
      ScheduleResult fired = apply(applier, fire);
      assertThat(fired.kind()).isEqualTo(ScheduleResult.Kind.FIRED);
      JobRecord job = store.job(ID + "." + sec(T)).orElseThrow().job();
      assertThat(job.state()).isEqualTo(JobState.PENDING);
      assertThat(job.url()).isEqualTo("http://127.0.0.1:1/tick");
      assertThat(job.nextAttemptAt()).isEqualTo(Instant.ofEpochMilli(T + 20));
      assertThat(job.retry().maxAttempts()).isEqualTo(3);
      ScheduleRecord after = store.schedule(ID).orElseThrow();
      assertThat(after.lastFireAtMs()).isEqualTo(T);
      assertThat(after.nextFireAtMs()).isEqualTo(T + 1000);
      assertThat(after.fired()).isEqualTo(1);
      long stored = store.stored();

      // The same firing again (a retried proposal, a new leader's): nothing happens.
      assertThat(apply(applier, fire).kind()).isEqualTo(ScheduleResult.Kind.IGNORED);
      assertThat(store.stored()).isEqualTo(stored);
      assertThat(store.schedule(ID).orElseThrow()).isEqualTo(after);
      assertThat(store.pending()).isEqualTo(1);
    }
  }

  @Test
  void catchUpFireOnceFiresTheLatestMissedFiringAndSkipTheNone() {
    long now = T + 10 * 60_000; // ten minutes after the first missed firing
    for (String policy : List.of(ScheduleRequest.FIRE_ONCE, ScheduleRequest.SKIP)) {
      index = 0;
      try (JobStore store = JobStore.open(dir.resolve("db-" + policy))) {
        EntryApplier applier = new EntryApplier(store, "shard-x");
        // Every minute, due since T: the shard was down for ten minutes.
        apply(applier, new Command.PutSchedule(schedule("0 * * * * *", policy, T), T - 1));
        ScheduleRecord s = store.schedule(ID).orElseThrow();
        List<Command.FireSchedule> plan = FiringPlan.of(s, now, 60_000);
        // Missed: T .. now-2min (older than the one-minute grace) in one entry; late: now-1min,
        // now: each fired.
        assertThat(plan).hasSize(3);
        for (Command.FireSchedule f : plan) {
          assertThat(apply(applier, f).kind()).isEqualTo(ScheduleResult.Kind.FIRED);
        }
        List<Long> fired = new ArrayList<>();
        for (long t = T; t <= now; t += 60_000) {
          if (store.job(ID + "." + sec(t)).isPresent()) {
            fired.add(t);
          }
        }
        ScheduleRecord after = store.schedule(ID).orElseThrow();
        if (policy.equals(ScheduleRequest.FIRE_ONCE)) {
          assertThat(fired).containsExactly(now - 120_000, now - 60_000, now);
          assertThat(after.missed()).isEqualTo(8);
        } else {
          assertThat(fired).containsExactly(now - 60_000, now);
          assertThat(after.missed()).isEqualTo(9);
        }
        assertThat(after.fired() + after.missed()).isEqualTo(11);
        assertThat(after.nextFireAtMs()).isEqualTo(now + 60_000);
        assertThat(FiringPlan.of(after, now, 60_000)).isEmpty();
      }
    }
  }

  @Test
  void latenessWithinTheGraceFiresEverySecondOnce() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(applier, new Command.PutSchedule(schedule("* * * * * *", null, T), T - 1));
      // A new leader seven seconds late, then its predecessor's stale plan arriving after it.
      List<Command.FireSchedule> late =
          FiringPlan.of(store.schedule(ID).orElseThrow(), T + 7_000, 60_000);
      assertThat(late).hasSize(8).allMatch(f -> f.fire() && f.skipped() == 0);
      late.forEach(f -> apply(applier, f));
      late.forEach(
          f -> assertThat(apply(applier, f).kind()).isEqualTo(ScheduleResult.Kind.IGNORED));
      for (long t = T; t <= T + 7_000; t += 1000) {
        assertThat(store.job(ID + "." + sec(t))).isPresent();
      }
      assertThat(store.stored()).isEqualTo(8);
      assertThat(store.schedule(ID).orElseThrow().fired()).isEqualTo(8);
    }
  }

  @Test
  void pausedSchedulesDoNotFireAndResumeDropsThePausedFirings() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(applier, new Command.PutSchedule(schedule("* * * * * *", null, T), T - 1));
      ScheduleResult paused = apply(applier, new Command.SetSchedulePaused(ID, true, null, T - 1));
      assertThat(paused.schedule().paused()).isTrue();
      assertThat(apply(applier, new Command.FireSchedule(ID, T, true, 0, T + 1000, T)).kind())
          .isEqualTo(ScheduleResult.Kind.IGNORED);
      assertThat(FiringPlan.of(paused.schedule(), T + 5_000, 60_000)).isEmpty();
      assertThat(store.stored()).isZero();

      ScheduleResult resumed =
          apply(applier, new Command.SetSchedulePaused(ID, false, T + 10_000, T + 9_500));
      assertThat(resumed.schedule().paused()).isFalse();
      assertThat(resumed.schedule().nextFireAtMs()).isEqualTo(T + 10_000);
      assertThat(
              apply(applier, new Command.FireSchedule(ID, T + 10_000, true, 0, T + 11_000, T))
                  .kind())
          .isEqualTo(ScheduleResult.Kind.FIRED);
      assertThat(store.stored()).isEqualTo(1);

      assertThat(apply(applier, new Command.DeleteSchedule(ID)).kind())
          .isEqualTo(ScheduleResult.Kind.DELETED);
      assertThat(store.schedule(ID)).isEmpty();
      assertThat(apply(applier, new Command.DeleteSchedule(ID)).kind())
          .isEqualTo(ScheduleResult.Kind.NOT_FOUND);
      // The jobs it fired stay.
      assertThat(store.stored()).isEqualTo(1);
    }
  }

  @Test
  void aSecondCreateWithTheSameIdIsTheSameScheduleOrAMismatch() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      ScheduleRecord s = schedule("* * * * * *", null, T);
      apply(applier, new Command.PutSchedule(s, T - 1));
      assertThat(apply(applier, new Command.PutSchedule(s, T)).kind())
          .isEqualTo(ScheduleResult.Kind.EXISTING);
      ScheduleRecord other =
          new ScheduleRecord(
              ID,
              "0 * * * * *",
              "spring",
              "UTC",
              TEMPLATE,
              "fp-2",
              null,
              null,
              false,
              0,
              null,
              T,
              0,
              0);
      assertThat(apply(applier, new Command.PutSchedule(other, T)).kind())
          .isEqualTo(ScheduleResult.Kind.MISMATCH);
      assertThat(store.schedule(ID).orElseThrow().cron()).isEqualTo("* * * * * *");
    }
  }

  @Test
  void anEndedScheduleIsDoneAndFiresNoMore() {
    ScheduleRecord s =
        new ScheduleRecord(
            ID,
            "* * * * * *",
            "spring",
            "UTC",
            TEMPLATE,
            "fp",
            T + 2_000,
            null,
            false,
            0,
            null,
            T,
            0,
            0);
    List<Command.FireSchedule> plan = FiringPlan.of(s, T + 10_000, 60_000);
    assertThat(plan)
        .extracting(Command.FireSchedule::fireAtMs)
        .containsExactly(T, T + 1000, T + 2000);
    assertThat(plan.getLast().nextFireAtMs()).isNull();
  }
}
