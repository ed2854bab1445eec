package dev.shardhook.node.raft;

import static dev.shardhook.node.raft.EntryApplierTest.newJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreBatch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history export queue as apply keeps it (README, "Job history"): a job joins it at the log
 * index that makes it final, leaves it when re-opened or purged, and the purge keeps what the
 * exporter has not passed.
 */
class ExportQueueApplyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long T = T0.toEpochMilli();

  @TempDir Path dir;
  private long index;

  private Object apply(EntryApplier applier, Command c) {
    return applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, ++index).reply();
  }

  private static AttemptOutcome ok(String id) {
    return new AttemptOutcome(id, 1, T0.plusSeconds(1), 10, 200, null, null, false);
  }

  private void finishTwo(EntryApplier applier) {
    apply(
        applier,
        new Command.Submit(
            T,
            T + 100_000,
            List.of(),
            List.of(newJob("p1", null, "f1"), newJob("p2", null, "f2"))));
    apply(applier, new Command.Outcome(List.of(ok("p1")), List.of(0.5)));
    apply(applier, new Command.Cancel("p2", T + 2_000));
  }

  @Test
  void finishedJobsAreQueuedAtTheirIndexAndThePurgeWaitsForTheExporter() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x", true);
      finishTwo(applier);
      assertThat(store.exportQueue(-1, 10))
          .containsExactly(new JobStore.Exportable(2, "p1"), new JobStore.Exportable(3, "p2"));
      assertThat(store.finishIndex("p1")).contains(2L);
      assertThat(store.exportQueue(2, 10)).containsExactly(new JobStore.Exportable(3, "p2"));

      assertThat(apply(applier, new Command.Purge(T + 500_000, T + 400_000, 1_000))).isEqualTo(0L);
      assertThat(store.job("p1")).isPresent();
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10)).hasSize(2);

      apply(applier, new Command.ExportedThrough(2));
      assertThat(store.exportedThrough()).isEqualTo(2);
      assertThat(apply(applier, new Command.Purge(T + 500_000, T + 400_000, 1_000))).isEqualTo(1L);
      assertThat(store.job("p1")).isEmpty();
      assertThat(store.finishIndex("p1")).isEmpty();
      assertThat(store.job("p2")).isPresent();
      assertThat(store.exportQueue(-1, 10)).containsExactly(new JobStore.Exportable(3, "p2"));

      apply(applier, new Command.ExportedThrough(3));
      assertThat(apply(applier, new Command.Purge(T + 500_000, T + 400_000, 1_000))).isEqualTo(1L);
      assertThat(store.exportQueue(-1, 10)).isEmpty();
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10)).isEmpty();
    }
  }

  @Test
  void aReopenedJobLeavesTheQueueAndJoinsItAgainWhenItFinishesAgain() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x", true);
      finishTwo(applier);
      JobRecord cancelled = store.job("p2").orElseThrow().job();
      JobRecord reopened = cancelled.moved(JobState.PENDING, T0, null, cancelled.attempts());
      try (StoreBatch batch = store.batch()) {
        batch.logIndex(10).reindex(cancelled, reopened).commit();
      }
      assertThat(store.exportQueue(-1, 10)).containsExactly(new JobStore.Exportable(2, "p1"));
      assertThat(store.finishIndex("p2")).isEmpty();

      JobRecord again = reopened.moved(JobState.FAILED, null, T0, reopened.attempts());
      try (StoreBatch batch = store.batch()) {
        batch.logIndex(11).reindex(reopened, again).commit();
      }
      assertThat(store.exportQueue(2, 10)).containsExactly(new JobStore.Exportable(11, "p2"));
      assertThat(store.finishIndex("p2")).contains(11L);
    }
  }

  @Test
  void aPageNeverEndsInsideTheJobsOneEntryFinished() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x", true);
      apply(
          applier,
          new Command.Submit(
              T,
              T + 100_000,
              List.of(),
              List.of(
                  newJob("q1", null, "f1"), newJob("q2", null, "f2"), newJob("q3", null, "f3"))));
      apply(applier, new Command.Outcome(List.of(ok("q1"), ok("q2")), List.of(0.5, 0.5)));
      apply(applier, new Command.Outcome(List.of(ok("q3")), List.of(0.5)));
      assertThat(store.exportQueue(-1, 1))
          .containsExactly(new JobStore.Exportable(2, "q1"), new JobStore.Exportable(2, "q2"));
      assertThat(store.exportQueue(2, 1)).containsExactly(new JobStore.Exportable(3, "q3"));
    }
  }

  @Test
  void withHistoryOffThePurgeWaitsForNothing() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      finishTwo(applier);
      assertThat(apply(applier, new Command.Purge(T + 500_000, T + 400_000, 1_000))).isEqualTo(2L);
      assertThat(store.exportQueue(-1, 10)).isEmpty();
    }
  }
}
