package dev.shardhook.node.raft;

import static dev.shardhook.node.raft.EntryApplierTest.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoredJob;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ordering keys change in apply: only a key's head is due; the next follows its finish. */
class OrderingApplyTest {
  static final long T = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  @TempDir Path dir;
  private long index;

  private Object apply(EntryApplier applier, Command c) {
    return applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, ++index).reply();
  }

  static NewJob ordered(String id, String key, Long delayMs) {
    return new NewJob(
        id,
        null,
        "f-" + id,
        "http://127.0.0.1:1/h",
        "POST",
        Map.of(),
        "{}",
        null,
        delayMs,
        1_000,
        RETRY,
        null,
        key);
  }

  private void submit(EntryApplier applier, long atMs, NewJob... jobs) {
    apply(applier, new Command.Submit(atMs, atMs + 100_000, List.of(), Arrays.asList(jobs)));
  }

  private void outcome(EntryApplier applier, String id, int n, long atMs, int status) {
    apply(
        applier,
        new Command.Outcome(
            List.of(
                new AttemptOutcome(
                    id, n, Instant.ofEpochMilli(atMs), 10, status, "HTTP " + status, null, false)),
            List.of(0.5)));
  }

  private static List<String> due(JobStore store) {
    return store.duePage(null, Long.MAX_VALUE, 1_000, 10_000, id -> false).jobs().stream()
        .map(StoredJob::job)
        .map(JobRecord::id)
        .toList();
  }

  private static JobRecord job(JobStore store, String id) {
    return store.job(id).orElseThrow().job();
  }

  @Test
  void onlyTheHeadIsDueAndEachFinishMakesTheNextDueInAcceptanceOrder() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, T, ordered("a1", "k", null), ordered("b1", "other", null));
      submit(applier, T + 10, ordered("a2", "k", 5_000L), ordered("a3", "k", null));
      submit(applier, T + 20, ordered("free", null, null), ordered("t/a1", "k", null));

      // Another tenant's key of the same name is another key.
      assertThat(due(store)).containsExactlyInAnyOrder("a1", "b1", "free", "t/a1");
      assertThat(store.orderingKeysActive()).isEqualTo(3);
      assertThat(store.orderingWaitingJobs()).isEqualTo(2);
      assertThat(job(store, "a2").state()).isEqualTo(JobState.PENDING);

      // A retry holds the key.
      outcome(applier, "a1", 1, T + 100, 500);
      assertThat(due(store)).contains("a1").doesNotContain("a2", "a3");

      // Success: a2 becomes due at its own time (accepted T+10, delayed 5 s), later than the
      // finish.
      outcome(applier, "a1", 2, T + 2_000, 200);
      assertThat(due(store)).contains("a2").doesNotContain("a1", "a3");
      assertThat(store.isDue(T + 5_010, "a2")).isTrue();

      // a3 had no delay: it is due when a2 finishes.
      outcome(applier, "a2", 1, T + 9_000, 200);
      assertThat(store.isDue(T + 9_010, "a3")).isTrue();
      assertThat(job(store, "a3").nextAttemptAt()).isEqualTo(Instant.ofEpochMilli(T + 9_010));
      assertThat(store.orderingWaitingJobs()).isZero();

      outcome(applier, "a3", 1, T + 10_000, 200);
      assertThat(store.orderingKeysActive()).isEqualTo(2);
      assertThat(store.orderingSeq("a3")).isEmpty();
    }
  }

  @Test
  void aTerminalFailureBlocksTheKeyUntilTheHeadIsReplayedAndItsRetriesHoldTheKey() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, T, ordered("h", "k", null), ordered("n", "k", null));
      outcome(applier, "h", 1, T + 100, 400);

      assertThat(job(store, "h").state()).isEqualTo(JobState.FAILED);
      assertThat(due(store)).isEmpty();
      assertThat(store.orderingBlockedKeys()).isEqualTo(1);

      var replayed =
          (EntryApplier.ReplayReply)
              apply(applier, new Command.Replay(T + 1_000, List.of(), List.of("h")));
      assertThat(replayed.results())
          .extracting(ReplayResult::kind)
          .containsExactly(ReplayResult.Kind.REPLAYED);
      assertThat(due(store)).containsExactly("h");
      assertThat(store.orderingBlockedKeys()).isZero();

      outcome(applier, "h", 2, T + 2_000, 200);
      assertThat(due(store)).containsExactly("n");
    }
  }

  @Test
  void cancellingTheFailedHeadLetsTheKeyMoveOnAndAWaitingJobLeavesWithoutMovingIt() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(
          applier,
          T,
          ordered("h", "k", null),
          ordered("w", "k", null),
          ordered("n", "k", null),
          ordered("plain-failed", null, null));
      outcome(applier, "plain-failed", 1, T + 100, 400);
      outcome(applier, "h", 1, T + 100, 400);

      // A waiting job cancelled leaves the key; the blocked head still blocks.
      assertThat(((CancelResult) apply(applier, new Command.Cancel("w", T + 200))).kind())
          .isEqualTo(CancelResult.Kind.CANCELLED);
      assertThat(due(store)).isEmpty();

      // A failed job that blocks nothing stays failed.
      assertThat(
              ((CancelResult) apply(applier, new Command.Cancel("plain-failed", T + 300))).kind())
          .isEqualTo(CancelResult.Kind.ALREADY_FINISHED);

      CancelResult cancelled = (CancelResult) apply(applier, new Command.Cancel("h", T + 400));
      assertThat(cancelled.kind()).isEqualTo(CancelResult.Kind.CANCELLED);
      assertThat(job(store, "h").state()).isEqualTo(JobState.CANCELLED);
      assertThat(store.isDue(T + 400, "n")).isTrue();
      assertThat(store.orderingBlockedKeys()).isZero();
      assertThat(store.orderingWaitingJobs()).isZero();
      assertThat(store.pending()).isEqualTo(1);
    }
  }

  @Test
  void withSkipAFailedHeadLetsTheNextGo() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier =
          new EntryApplier(store, "shard-x", false, (t, q) -> OrderingPolicy.OnFailure.SKIP);
      submit(applier, T, ordered("h", "k", null), ordered("n", "k", null));
      outcome(applier, "h", 1, T + 100, 400);

      assertThat(job(store, "h").state()).isEqualTo(JobState.FAILED);
      assertThat(store.isDue(T + 110, "n")).isTrue();
      assertThat(store.orderingBlockedKeys()).isZero();

      // Replayed after it left, it joins the key again at the end, behind n.
      apply(applier, new Command.Replay(T + 1_000, List.of(), List.of("h")));
      assertThat(due(store)).containsExactly("n");
      outcome(applier, "n", 1, T + 2_000, 200);
      assertThat(store.isDue(T + 2_010, "h")).isTrue();
    }
  }

  @Test
  void theRetentionPurgeTakingABlockingHeadReleasesTheKey() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, T, ordered("h", "k", null), ordered("n", "k", null));
      outcome(applier, "h", 1, T + 100, 400);

      assertThat(apply(applier, new Command.Purge(T + 500_000, T + 200_000, 100))).isEqualTo(1L);
      assertThat(store.job("h")).isEmpty();
      assertThat(store.job("n")).isPresent();
      assertThat(due(store)).containsExactly("n");
      assertThat(store.orderingBlockedKeys()).isZero();
    }
  }

  @Test
  void theWaitingOrderSurvivesReopeningTheStore() {
    Path db = dir.resolve("db");
    try (JobStore store = JobStore.open(db)) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      submit(applier, T, ordered("j1", "k", null), ordered("j2", "k", null));
      submit(applier, T + 1, ordered("j3", "k", null));
    }
    try (JobStore store = JobStore.open(db)) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      assertThat(store.orderingEntries("default/k", 10))
          .extracting(JobStore.OrderingEntry::jobId)
          .containsExactly("j1", "j2", "j3");
      assertThat(store.orderingPredecessor("default/k", store.orderingSeq("j3").orElseThrow()))
          .contains("j2");
      outcome(applier, "j1", 1, T + 100, 200);
      outcome(applier, "j2", 1, T + 200, 200);
      assertThat(due(store)).containsExactly("j3");
    }
  }
}
