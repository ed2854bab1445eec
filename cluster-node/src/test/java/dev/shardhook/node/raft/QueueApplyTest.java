package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueCounts;
import dev.shardhook.node.queue.QueueReplies;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreBatch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue commands and counts as apply writes them (README, "Queues"). */
class QueueApplyTest {
  private static final long T = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  @TempDir Path dir;
  private JobStore store;
  private EntryApplier applier;
  private long index;

  @BeforeEach
  void open() {
    store = JobStore.open(dir);
    applier = new EntryApplier(store, "shard-x");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Object apply(Command command) {
    return applier.apply(command, 1, ++index).reply();
  }

  private static QueueConfig queue(String tenant, String name) {
    return new QueueConfig(tenant, name, null, null, null, null, false, null, null, 1, 0);
  }

  private static NewJob job(String id, String queue) {
    return new NewJob(
        id,
        null,
        "f-" + id,
        "http://127.0.0.1:1/h",
        "POST",
        Map.of(),
        "{}",
        null,
        null,
        1_000,
        EntryApplierTest.RETRY,
        queue,
        null);
  }

  private void submit(NewJob... jobs) {
    apply(new Command.Submit(T, T + 86_400_000, List.of(), List.of(jobs)));
  }

  @Test
  void putStampsTheEntryTimeAndTellsCreatedFromReplaced() {
    assertThat(apply(new Command.PutQueue(queue("t", "q"), 42))).isEqualTo(QueueReplies.CREATED);
    assertThat(store.queue("t", "q").orElseThrow().updatedAtMs()).isEqualTo(42);
    assertThat(apply(new Command.PutQueue(queue("t", "q"), 43))).isEqualTo(QueueReplies.REPLACED);
    assertThat(store.queue("other", "q")).isEmpty();
  }

  @Test
  void countsFollowEachJobAndDeleteWaitsForAnEmptyQueue() {
    apply(new Command.PutQueue(queue("default", "q"), 1));
    submit(job("a", "q"), job("b", "q"), job("c", "q"), job("d", "default"));
    assertThat(store.queueCounts("default", "q")).isEqualTo(new QueueCounts(3, 0, 0));
    assertThat(store.queueCounts("default", "default")).isEqualTo(new QueueCounts(1, 0, 0));
    assertThat(apply(new Command.DeleteQueue("default", "q", 2)))
        .isEqualTo(QueueReplies.HAS_PENDING);

    Instant at = Instant.ofEpochMilli(T + 1000);
    apply(
        new Command.Outcome(
            List.of(
                new AttemptOutcome("a", 1, at, 5, 200, null, null, false),
                new AttemptOutcome("b", 1, at, 5, 404, "HTTP 404", null, false)),
            List.of(0.5, 0.5)));
    assertThat(store.queueCounts("default", "q")).isEqualTo(new QueueCounts(1, 1, 1));

    // Purge: only this queue's pending jobs created before it began.
    assertThat(apply(new Command.PurgeQueue("default", "q", T + 1, 1000, T + 2000))).isEqualTo(1L);
    assertThat(store.job("c").orElseThrow().job().state()).isEqualTo(JobState.CANCELLED);
    assertThat(store.job("d").orElseThrow().job().state()).isEqualTo(JobState.PENDING);
    assertThat(store.queueCounts("default", "q").depth()).isZero();
    assertThat(store.queuePending("default", "q", Long.MAX_VALUE, 10)).isEmpty();

    // A replay brings a job back into its queue.
    apply(new Command.Replay(T + 3000, List.of(), List.of("b")));
    assertThat(store.queuePending("default", "q", Long.MAX_VALUE, 10)).containsExactly("b");
    assertThat(store.queueCounts("default", "q").depth()).isEqualTo(1);
    apply(new Command.Cancel("b", T + 4000));

    assertThat(apply(new Command.DeleteQueue("default", "q", 5))).isEqualTo(QueueReplies.DELETED);
    assertThat(store.queue("default", "q")).isEmpty();
    assertThat(apply(new Command.DeleteQueue("default", "q", 6))).isEqualTo(QueueReplies.NOT_FOUND);
    assertThat(apply(new Command.DeleteQueue("default", "default", 7)))
        .isEqualTo(QueueReplies.IS_DEFAULT);
  }

  @Test
  void aPurgeTakesAtMostItsLimitOldestFirstAndLeavesLaterJobs() {
    apply(new Command.PutQueue(queue("default", "q"), 1));
    submit(job("a", "q"), job("b", "q"));
    apply(new Command.Submit(T + 10, T + 86_400_000, List.of(), List.of(job("later", "q"))));
    assertThat(apply(new Command.PurgeQueue("default", "q", T + 5, 1, T + 20))).isEqualTo(1L);
    assertThat(apply(new Command.PurgeQueue("default", "q", T + 5, 1, T + 20))).isEqualTo(1L);
    assertThat(apply(new Command.PurgeQueue("default", "q", T + 5, 1, T + 20))).isEqualTo(0L);
    assertThat(store.job("later").orElseThrow().job().state()).isEqualTo(JobState.PENDING);
  }

  @Test
  void pausingTheImplicitDefaultConfiguresItAndOthersMustExist() {
    assertThat(apply(new Command.SetQueuePaused("t", "default", true, 9)))
        .isEqualTo(QueueReplies.REPLACED);
    assertThat(store.queue("t", "default").orElseThrow().paused()).isTrue();
    assertThat(apply(new Command.SetQueuePaused("t", "nope", true, 9)))
        .isEqualTo(QueueReplies.NOT_FOUND);
  }

  @Test
  void aTenantHasAtMostItsCapOfQueues() {
    try (StoreBatch batch = store.batch()) {
      for (int i = 0; i < QueueConfig.MAX_PER_TENANT; i++) {
        batch.putQueue(queue("t", "q" + i));
      }
      batch.commit();
    }
    assertThat(apply(new Command.PutQueue(queue("t", "one-more"), 1)))
        .isEqualTo(QueueReplies.TOO_MANY);
    assertThat(apply(new Command.PutQueue(queue("t", "q7"), 1))).isEqualTo(QueueReplies.REPLACED);
    assertThat(apply(new Command.PutQueue(queue("u", "q0"), 1))).isEqualTo(QueueReplies.CREATED);
  }
}
