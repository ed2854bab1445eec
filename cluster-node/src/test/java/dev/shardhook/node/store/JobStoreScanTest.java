package dev.shardhook.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.JobRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** Bounded index scans, and databases written before the stored count and key-expiry index. */
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
      try (JobStore.Batch b = store.batch()) {
        for (int i = 0; i < 100; i++) {
          b.putJob(stored("j" + i)).putDue(1_000 + i, "j" + i);
        }
        b.commit();
      }
      assertThat(store.duePage(null, 5_000, 1, 1_000, id -> false).jobs())
          .extracting(s -> s.job().id())
          .containsExactly("j0");
      try (JobStore.Batch b = store.batch()) {
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
      try (JobStore.Batch b = store.batch()) {
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
      try (JobStore.Batch b = store.batch()) {
        for (int i = 0; i < n + 10; i++) {
          b.putJob(stored("c" + i));
        }
        b.stored(n + 10).commit();
      }
      try (JobStore.Batch b = store.batch()) {
        for (int i = 0; i < n - 1; i++) {
          b.deleteJob("c" + i);
        }
        b.stored(11).commit();
      }
      assertThat(store.compactions()).isZero();
      try (JobStore.Batch b = store.batch()) {
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
      try (JobStore.Batch b = store.batch()) {
        b.putFinished(5, "a").putFinished(7, "b").putFinished(9, "c");
        b.putKeyExpiry(100, "k1").putKeyExpiry(200, "k2");
        b.commit();
      }
      assertThat(store.finishedUpTo(7, 10))
          .containsExactly(new JobStore.Indexed(5, "a"), new JobStore.Indexed(7, "b"));
      assertThat(store.finishedUpTo(9, 1)).containsExactly(new JobStore.Indexed(5, "a"));
      assertThat(store.finishedUpTo(4, 10)).isEmpty();
      assertThat(store.keysExpiredBy(150, 10)).containsExactly(new JobStore.Indexed(100, "k1"));
      try (JobStore.Batch b = store.batch()) {
        b.purgedBefore(7).commit();
      }
      assertThat(store.finishedUpTo(Long.MAX_VALUE, 10))
          .extracting(JobStore.Indexed::id)
          .containsExactly("b", "c");
    }
  }

  @Test
  void aDatabaseFromAnEarlierBuildOpensCountsItsJobsAndGainsTheKeyExpiryIndex() throws Exception {
    Path db = dir.resolve("old");
    List<String> families = List.of("jobs", "due", "idempotency", "finished", "meta");
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions cf = new ColumnFamilyOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
      for (String f : families) {
        descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(f), cf));
      }
      try (RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
        rocks.put(handles.get(1), Keys.utf8("bin"), StoredValueCodec.encode(stored("bin")));
        rocks.put(handles.get(1), Keys.utf8("other"), StoredValueCodec.encode(stored("other")));
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
    try (JobStore store = JobStore.open(db)) {
      assertThat(store.stored()).isEqualTo(2);
      assertThat(store.job("other")).contains(stored("other"));
      assertThat(store.keysExpiredBy(Long.MAX_VALUE, 10)).isEmpty();
      try (JobStore.Batch b = store.batch()) {
        b.putKeyExpiry(1, "k").deleteJob("bin").stored(1).commit();
      }
    }
    try (JobStore store = JobStore.open(db)) {
      assertThat(store.stored()).isEqualTo(1);
      assertThat(store.job("bin")).isEmpty();
      assertThat(store.keysExpiredBy(Long.MAX_VALUE, 10)).hasSize(1);
    }
  }
}
