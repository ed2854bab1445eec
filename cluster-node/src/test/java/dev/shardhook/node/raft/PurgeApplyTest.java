package dev.shardhook.node.raft;

import static dev.shardhook.node.raft.EntryApplierTest.newJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.store.JobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@link Command.Purge} entry removes, and what it must leave alone. */
class PurgeApplyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long T = T0.toEpochMilli();

  @TempDir Path dir;
  private long index;

  private static AttemptOutcome ok(String id, long durationMs) {
    return new AttemptOutcome(id, 1, T0.plusSeconds(1), durationMs, 200, null, null, false);
  }

  private Object apply(EntryApplier applier, Command c) {
    return applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, ++index).reply();
  }

  @Test
  void finishedJobsGoAfterRetentionAndTheirKeysAfterTheirWindowPendingJobsStay() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(
          applier,
          new Command.Submit(
              T,
              T + 100_000,
              List.of(),
              List.of(
                  newJob("p1", "k1", "f1"),
                  newJob("p2", "k2", "f2"),
                  newJob("p3", null, "f3"),
                  newJob("p4", "k4", "f4"))));
      apply(
          applier,
          new Command.Outcome(
              List.of(
                  ok("p1", 10),
                  ok("p2", 30),
                  new AttemptOutcome("p3", 1, T0.plusSeconds(1), 40, 404, "404", null, false)),
              List.of(0.5, 0.5, 0.5)));
      assertThat(store.stored()).isEqualTo(4);
      assertThat(store.pending()).isEqualTo(1);

      // p1 and p2 finished by the cutoff; their keys are still inside their window.
      assertThat(apply(applier, new Command.Purge(T + 50_000, T + 1_030, 1_000))).isEqualTo(2L);
      assertThat(store.job("p1")).isEmpty();
      assertThat(store.job("p2")).isEmpty();
      assertThat(store.job("p3")).isPresent();
      assertThat(store.idempotency("k1")).isPresent();
      assertThat(store.stored()).isEqualTo(2);

      // Past every window: p3 goes, the keys of the purged jobs go, pending p4 and its key stay.
      assertThat(apply(applier, new Command.Purge(T + 200_000, T + 150_000, 1_000))).isEqualTo(1L);
      assertThat(store.job("p3")).isEmpty();
      assertThat(store.idempotency("k1")).isEmpty();
      assertThat(store.idempotency("k2")).isEmpty();
      assertThat(store.job("p4")).isPresent();
      assertThat(store.idempotency("k4")).isPresent();
      assertThat(store.stored()).isEqualTo(1);
      assertThat(store.pending()).isEqualTo(1);
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10)).isEmpty();
      assertThat(store.keysExpiredBy(Long.MAX_VALUE, 10)).isEmpty();
    }
  }

  @Test
  void aKeyThatExpiresWhileItsJobIsStoredGoesWithTheJob() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(applier, new Command.Submit(T, T + 100_000, List.of(), List.of(newJob("j", "k", "f"))));
      apply(applier, new Command.Outcome(List.of(ok("j", 10)), List.of(0.5)));
      // Window over, retention not: the key's expiry entry goes, the record stays with its job.
      assertThat(apply(applier, new Command.Purge(T + 200_000, T, 1_000))).isEqualTo(0L);
      assertThat(store.keysExpiredBy(Long.MAX_VALUE, 10)).isEmpty();
      assertThat(store.idempotency("k")).isPresent();
      assertThat(apply(applier, new Command.Purge(T + 300_000, T + 250_000, 1_000))).isEqualTo(1L);
      assertThat(store.idempotency("k")).isEmpty();
      assertThat(store.stored()).isZero();
    }
  }

  @Test
  void aBatchLimitPurgesOldestFirstAndTheNextEntryGoesOn() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(
          applier,
          new Command.Submit(
              T,
              T + 1,
              List.of(),
              List.of(newJob("a", null, "f"), newJob("b", null, "f"), newJob("c", null, "f"))));
      apply(
          applier,
          new Command.Outcome(List.of(ok("c", 10), ok("a", 20), ok("b", 30)), List.of(.5, .5, .5)));
      assertThat(apply(applier, new Command.Purge(T + 60_000, T + 50_000, 2))).isEqualTo(2L);
      assertThat(store.job("c")).isEmpty();
      assertThat(store.job("a")).isEmpty();
      assertThat(store.job("b")).isPresent();
      assertThat(apply(applier, new Command.Purge(T + 60_000, T + 50_000, 2))).isEqualTo(1L);
      assertThat(apply(applier, new Command.Purge(T + 60_000, T + 50_000, 2))).isEqualTo(0L);
      assertThat(store.stored()).isZero();
    }
  }

  @Test
  void aJobFinishingWithATimeBeforeThePurgePositionIsStillPurged() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(
          applier,
          new Command.Submit(
              T, T + 1, List.of(), List.of(newJob("early", null, "f"), newJob("late", null, "f"))));
      AttemptOutcome early =
          new AttemptOutcome("early", 1, T0.plusSeconds(5), 10, 200, null, null, false);
      apply(applier, new Command.Outcome(List.of(early), List.of(0.5)));
      assertThat(apply(applier, new Command.Purge(T + 20_000, T + 10_000, 1_000))).isEqualTo(1L);
      assertThat(store.purgedBefore()).isEqualTo(T + 5_011);
      // Finished (by an attempt's clock) at T + 1 s, before the purge position.
      apply(applier, new Command.Outcome(List.of(ok("late", 10)), List.of(0.5)));
      assertThat(apply(applier, new Command.Purge(T + 30_000, T + 20_000, 1_000))).isEqualTo(1L);
      assertThat(store.job("late")).isEmpty();
    }
  }

  @Test
  void aCutoffFarAheadDoesNotMoveThePurgePositionPastWhatWasPurged() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(applier, new Command.Submit(T, T + 1, List.of(), List.of(newJob("j", null, "f"))));
      apply(applier, new Command.Purge(Long.MAX_VALUE, Long.MAX_VALUE, 1_000));
      assertThat(store.purgedBefore()).isZero();
      apply(applier, new Command.Outcome(List.of(ok("j", 10)), List.of(0.5)));
      assertThat(apply(applier, new Command.Purge(T + 30_000, T + 20_000, 1_000))).isEqualTo(1L);
    }
  }

  @Test
  void extremeTimesAndLimitsApplyWithoutThrowing() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(applier, new Command.Submit(T, T + 1, List.of(), List.of(newJob("x", "k", "f"))));
      assertThat(apply(applier, new Command.Purge(T, T, 0))).isEqualTo(0L);
      assertThat(apply(applier, new Command.Purge(T, T, -5))).isEqualTo(0L);
      assertThat(apply(applier, new Command.Purge(Long.MIN_VALUE, Long.MIN_VALUE, 10)))
          .isEqualTo(0L);
      assertThat(apply(applier, new Command.Purge(Long.MAX_VALUE, Long.MAX_VALUE, 10)))
          .isEqualTo(0L);
      // Pending: never purged, whatever the times.
      assertThat(store.job("x")).isPresent();
      assertThat(store.stored()).isEqualTo(1);
    }
  }

  @Test
  void aStoreCountsItsJobsAcrossReopening() {
    Path db = dir.resolve("db");
    try (JobStore store = JobStore.open(db)) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(
          applier,
          new Command.Submit(
              T, T + 1, List.of(), List.of(newJob("x", null, "f"), newJob("y", null, "f"))));
    }
    try (JobStore store = JobStore.open(db)) {
      assertThat(store.stored()).isEqualTo(2);
    }
  }
}
