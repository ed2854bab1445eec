package dev.shardhook.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.JobRecord;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded index scans and the stored count. */
class JobStoreScanTest {
  @TempDir Path dir;

  private static StoredJob stored(String id) {
    JobRecord j = JobSamples.bareJob();
    return new StoredJob(
        new JobRecord(
            id,
            j.shardId(),
            j.state(),
            j.url(),
            j.method(),
            j.headers(),
            j.body(),
            j.idempotencyKey(),
            j.timeout(),
            j.retry(),
            j.createdAt(),
            j.nextAttemptAt(),
            j.finishedAt(),
            j.attempts()),
        "fp");
  }

  @Test
  void dueScansSkipDeletedHeadsAndStillFindEntriesWrittenEarlierLater() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      try (StoreBatch b = store.batch()) {
        for (int i = 0; i < 100; i++) {
          b.putJob(stored("j" + i)).putDue(1_000 + i, "j" + i);
        }
        b.commit();
      }
      assertThat(store.duePage(null, 5_000, 1, 1_000, id -> false).jobs())
          .extracting(s -> s.job().id())
          .containsExactly("j0");
      try (StoreBatch b = store.batch()) {
        for (int i = 0; i < 99; i++) {
          b.deleteDue(1_000 + i, "j" + i);
        }
        b.commit();
      }
      // The scan's floor moves to the first live entry, past the 99 tombstones.
      assertThat(store.duePage(null, 5_000, 10, 1, id -> false).jobs())
          .extracting(s -> s.job().id())
          .containsExactly("j99");
      assertThat(store.earliestDue()).contains(1_099L);
      // An entry earlier than the floor, written afterwards, is still found.
      try (StoreBatch b = store.batch()) {
        b.putJob(stored("early")).putDue(10, "early").commit();
      }
      assertThat(store.earliestDue()).contains(10L);
      assertThat(store.duePage(null, 5_000, 10, 10, id -> false).jobs())
          .extracting(s -> s.job().id())
          .containsExactly("early", "j99");
      assertThat(store.duePage(null, 50, 10, 10, id -> false).jobs())
          .extracting(s -> s.job().id())
          .containsExactly("early");
      assertThat(store.duePage(null, Long.MAX_VALUE, 10, 10, id -> false).jobs()).hasSize(2);
    }
  }

  @Test
  void purgingMostOfTheStoreCompactsIt() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      int n = (int) JobStore.COMPACT_AFTER_DELETES;
      try (StoreBatch b = store.batch()) {
        for (int i = 0; i < n + 10; i++) {
          b.putJob(stored("c" + i));
        }
        b.stored(n + 10).commit();
      }
      try (StoreBatch b = store.batch()) {
        for (int i = 0; i < n - 1; i++) {
          b.deleteJob("c" + i);
        }
        b.stored(11).commit();
      }
      assertThat(store.compactions()).isZero();
      try (StoreBatch b = store.batch()) {
        b.deleteJob("c" + (n - 1)).stored(10).commit();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> store.compactions() == 1);
      assertThat(store.job("c" + n)).isPresent();
      assertThat(store.job("c0")).isEmpty();
    }
  }

  @Test
  void finishedAndKeyExpiryScansAreBoundedByTime() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      try (StoreBatch b = store.batch()) {
        b.putFinished(5, "a").putFinished(7, "b").putFinished(9, "c");
        b.putKeyExpiry(100, "k1").putKeyExpiry(200, "k2");
        b.commit();
      }
      assertThat(store.finishedUpTo(7, 10))
          .containsExactly(new JobStore.Indexed(5, "a"), new JobStore.Indexed(7, "b"));
      assertThat(store.finishedUpTo(9, 1)).containsExactly(new JobStore.Indexed(5, "a"));
      assertThat(store.finishedUpTo(4, 10)).isEmpty();
      assertThat(store.keysExpiredBy(150, 10)).containsExactly(new JobStore.Indexed(100, "k1"));
      try (StoreBatch b = store.batch()) {
        b.purgedBefore(7).commit();
      }
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10))
          .extracting(JobStore.Indexed::id)
          .containsExactly("b", "c");
    }
  }

  @Test
  void aNewStoreCountsNothingAndKeepsItsCountWhenReopened() {
    Path db = dir.resolve("count");
    try (JobStore store = JobStore.open(db)) {
      assertThat(store.stored()).isZero();
      try (StoreBatch b = store.batch()) {
        b.putJob(stored("a")).putJob(stored("b")).stored(2).commit();
      }
    }
    try (JobStore store = JobStore.open(db)) {
      assertThat(store.stored()).isEqualTo(2);
      assertThat(store.job("b")).contains(stored("b"));
    }
  }
}
