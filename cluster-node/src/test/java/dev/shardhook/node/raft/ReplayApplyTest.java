package dev.shardhook.node.raft;

import static dev.shardhook.node.raft.EntryApplierTest.newJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.api.routing.JobIds;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.store.JobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@link Command.Replay} entry changes: state, due and finished indexes, counts, budget. */
class ReplayApplyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long T = T0.toEpochMilli();

  @TempDir Path dir;
  private long index;

  private Object apply(EntryApplier applier, Command c) {
    return applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, ++index).reply();
  }

  @SuppressWarnings("unchecked")
  private List<ReplayResult> replay(
      EntryApplier applier, long atMs, List<Integer> rejected, String... ids) {
    return ((EntryApplier.ReplayReply)
            apply(applier, new Command.Replay(atMs, rejected, List.of(ids))))
        .results();
  }

  private static AttemptOutcome outcome(String id, int n, long atMs, int status) {
    return new AttemptOutcome(
        id, n, Instant.ofEpochMilli(atMs), 10, status, "HTTP " + status, null, false);
  }

  private void submit(EntryApplier applier, String... ids) {
    List<NewJob> jobs = Arrays.stream(ids).map(id -> newJob(id, null, "f-" + id)).toList();
    apply(applier, new Command.Submit(T, T + 100_000, List.of(), jobs));
  }

  @Test
  void aFailedJobGoesBackToPendingDueAtOnceWithItsAttemptsKeptAndAFreshBudget() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, "f");
      // Three attempts allowed (EntryApplierTest.RETRY): the third 500 fails the job.
      for (int n = 1; n <= 3; n++) {
        apply(
            applier,
            new Command.Outcome(List.of(outcome("f", n, T + n * 100_000L, 500)), List.of(0.5)));
      }
      assertThat(store.job("f").orElseThrow().job().state()).isEqualTo(JobState.FAILED);
      assertThat(store.pending()).isZero();
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10))
          .extracting(JobStore.Indexed::id)
          .contains("f");

      long at = T + 1_000_000;
      List<ReplayResult> results = replay(applier, at, List.of(), "f");

      assertThat(results)
          .extracting(ReplayResult::kind)
          .containsExactly(ReplayResult.Kind.REPLAYED);
      JobRecord job = store.job("f").orElseThrow().job();
      assertThat(results.getFirst().job()).isEqualTo(job);
      assertThat(job.state()).isEqualTo(JobState.PENDING);
      assertThat(job.nextAttemptAt()).isEqualTo(Instant.ofEpochMilli(at));
      assertThat(job.finishedAt()).isNull();
      assertThat(job.attempts()).hasSize(3);
      assertThat(job.nextAttemptNumber()).isEqualTo(4);
      assertThat(job.attemptsBeforeReplay()).isEqualTo(3);
      assertThat(job.replayedAt()).isEqualTo(Instant.ofEpochMilli(at));
      assertThat(store.isDue(at, "f")).isTrue();
      assertThat(store.pending()).isEqualTo(1);
      assertThat(store.pendingOf(JobIds.DEFAULT_TENANT)).isEqualTo(1);
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10))
          .extracting(JobStore.Indexed::id)
          .doesNotContain("f");

      // Attempt 4 is the first of the fresh budget: a 500 is retried, not the end.
      apply(applier, new Command.Outcome(List.of(outcome("f", 4, at, 500)), List.of(0.5)));
      assertThat(store.job("f").orElseThrow().job().state()).isEqualTo(JobState.PENDING);
      apply(applier, new Command.Outcome(List.of(outcome("f", 5, at + 10_000, 500)), List.of(0.5)));
      assertThat(store.job("f").orElseThrow().job().state()).isEqualTo(JobState.PENDING);
      apply(applier, new Command.Outcome(List.of(outcome("f", 6, at + 80_000, 500)), List.of(0.5)));
      assertThat(store.job("f").orElseThrow().job().state()).isEqualTo(JobState.FAILED);
      assertThat(store.pending()).isZero();
    }
  }

  @Test
  void otherStatesUnknownIdsAndRefusedPlacesAreLeftAsTheyAre() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, "pending", "ok", "refused", "cancelled");
      apply(
          applier,
          new Command.Outcome(
              List.of(outcome("ok", 1, T + 1_000, 200), outcome("refused", 1, T + 1_000, 400)),
              List.of(0.5, 0.5)));
      apply(applier, new Command.Cancel("cancelled", T + 2_000));
      assertThat(store.pending()).isEqualTo(1);

      List<ReplayResult> results =
          replay(applier, T + 5_000, List.of(3), "pending", "ok", "gone", "refused", "cancelled");

      assertThat(results)
          .extracting(ReplayResult::kind)
          .containsExactly(
              ReplayResult.Kind.NOT_REPLAYABLE,
              ReplayResult.Kind.NOT_REPLAYABLE,
              ReplayResult.Kind.NOT_FOUND,
              ReplayResult.Kind.QUEUE_FULL,
              ReplayResult.Kind.REPLAYED);
      assertThat(store.job("refused").orElseThrow().job().state()).isEqualTo(JobState.FAILED);
      assertThat(store.job("ok").orElseThrow().job().state()).isEqualTo(JobState.SUCCEEDED);
      JobRecord cancelled = store.job("cancelled").orElseThrow().job();
      assertThat(cancelled.state()).isEqualTo(JobState.PENDING);
      assertThat(cancelled.attemptsBeforeReplay()).isZero();
      assertThat(cancelled.replayedAt()).isEqualTo(Instant.ofEpochMilli(T + 5_000));
      assertThat(store.pending()).isEqualTo(2);
    }
  }

  @Test
  void thePurgeSkipsTheFinishedEntryOfAnEarlierFinish() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, "r");
      apply(applier, new Command.Outcome(List.of(outcome("r", 1, T + 1_000, 400)), List.of(0.5)));
      // An entry left behind as if the purge position had moved it: the replay cannot find it.
      try (var batch = store.batch()) {
        batch.putFinished(T + 1_500, "r").commit();
      }
      replay(applier, T + 100_000, List.of(), "r");
      apply(applier, new Command.Outcome(List.of(outcome("r", 2, T + 100_000, 200)), List.of(0.5)));

      assertThat(apply(applier, new Command.Purge(T + 200_000, T + 50_000, 100))).isEqualTo(0L);
      assertThat(store.job("r")).isPresent();
      assertThat(apply(applier, new Command.Purge(T + 300_000, T + 200_000, 100))).isEqualTo(1L);
      assertThat(store.job("r")).isEmpty();
    }
  }

  private static OperationRecord draft(String id, JobState status) {
    return new OperationRecord(id, status, null, null, null, null, 0, null, 0, 0, null);
  }

  @Test
  void anOperationTakesAPageOnlyAtItsPositionAndWholeAndThePurgeRemovesItOnceFinished() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, "a", "b");
      apply(
          applier,
          new Command.Outcome(
              List.of(outcome("a", 1, T + 1_000, 400), outcome("b", 1, T + 1_000, 400)),
              List.of(0.5, 0.5)));
      OperationResult started =
          (OperationResult)
              apply(applier, new Command.StartOperation(draft("op", JobState.FAILED), T + 2_000));
      OperationResult again =
          (OperationResult)
              apply(applier, new Command.StartOperation(draft("op", JobState.FAILED), T + 3_000));
      OperationResult other =
          (OperationResult)
              apply(
                  applier, new Command.StartOperation(draft("op", JobState.CANCELLED), T + 3_000));
      assertThat(started.kind()).isEqualTo(OperationResult.Kind.STARTED);
      assertThat(started.operation().createdAtMs()).isEqualTo(T + 2_000);
      assertThat(again.kind()).isEqualTo(OperationResult.Kind.EXISTING);
      assertThat(again.operation().createdAtMs()).isEqualTo(T + 2_000);
      assertThat(other.kind()).isEqualTo(OperationResult.Kind.MISMATCH);

      JobQuery.Position mid = new JobQuery.Position(T, "b");
      // Refused by admission: nothing moves.
      apply(
          applier, new Command.Replay(T + 4_000, List.of(0), List.of("b"), "op", null, mid, false));
      assertThat(store.job("b").orElseThrow().job().state()).isEqualTo(JobState.FAILED);
      assertThat(store.operation("op").orElseThrow().position()).isNull();
      apply(
          applier, new Command.Replay(T + 4_000, List.of(), List.of("b"), "op", null, mid, false));
      // The same page again (a retry, an old leader's) finds the operation moved on.
      assertThat(
              replayOf(
                  apply(
                      applier,
                      new Command.Replay(
                          T + 5_000, List.of(), List.of("b"), "op", null, mid, false))))
          .isEmpty();
      apply(
          applier,
          new Command.Replay(T + 6_000, List.of(), List.of("a", "b"), "op", mid, null, true));

      OperationRecord done = store.operation("op").orElseThrow();
      assertThat(done.running()).isFalse();
      assertThat(done.finishedAtMs()).isEqualTo(T + 6_000);
      assertThat(done.replayed()).isEqualTo(2);
      assertThat(done.skipped()).isEqualTo(1);
      assertThat(store.job("b").orElseThrow().job().attempts()).hasSize(1);
      assertThat(store.runningOperations()).isEmpty();

      apply(applier, new Command.Purge(T + 10_000, T + 5_999, 100));
      assertThat(store.operation("op")).isPresent();
      apply(applier, new Command.Purge(T + 10_000, T + 6_000, 100));
      assertThat(store.operation("op")).isEmpty();
    }
  }

  @Test
  void operationsTravelInSnapshots() {
    try (JobStore store = JobStore.open(dir.resolve("db"));
        JobStore other = JobStore.open(dir.resolve("other"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(applier, new Command.StartOperation(draft("t/op", JobState.FAILED), T));
      store.checkpoint(dir.resolve("snapshot"));

      other.restoreFrom(dir.resolve("snapshot"));

      assertThat(other.operation("t/op")).isEqualTo(store.operation("t/op")).isPresent();
      assertThat(other.runningOperations()).extracting(OperationRecord::id).containsExactly("t/op");
    }
  }

  private static List<ReplayResult> replayOf(Object reply) {
    return ((EntryApplier.ReplayReply) reply).results();
  }
}
