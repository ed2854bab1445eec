package dev.shardhook.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** Listing pages off the indexes, and the indexes of a store written before they existed. */
class JobStoreListTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  /** Job {@code i} of {@code tenant}: two jobs share each millisecond, to test the id tie-break. */
  private static JobRecord job(String tenant, int i) {
    String id = (tenant.equals("default") ? "" : tenant + "/") + "j" + (100 + i);
    return JobSamples.pending(
        id, "http://h" + (i % 2) + ".example/", Duration.ZERO, T0.plusMillis(i / 2));
  }

  private static List<String> listAll(JobStore store, JobQuery first) {
    List<String> seen = new ArrayList<>();
    JobQuery q = first;
    while (true) {
      JobPage page = store.list(q);
      page.jobs().forEach(j -> seen.add(j.id()));
      if (page.next() == null) {
        return seen;
      }
      q =
          new JobQuery(
              q.tenant(),
              q.status(),
              q.host(),
              q.createdAfter(),
              q.createdBefore(),
              null,
              q.limit(),
              page.next());
    }
  }

  private static List<String> newestFirst(List<JobRecord> jobs) {
    return jobs.stream()
        .sorted(Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::id).reversed())
        .map(JobRecord::id)
        .toList();
  }

  @Test
  void pagesWalkNewestFirstWithinTimeBoundsAndTheTenant() {
    List<JobRecord> mine = new ArrayList<>();
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      try (StoreBatch batch = store.batch()) {
        for (int i = 0; i < 25; i++) {
          JobRecord a = job("acme", i);
          JobRecord b = job("zeta", i);
          mine.add(a);
          batch.putJob(new StoredJob(a, "f")).index(a);
          batch.putJob(new StoredJob(b, "f")).index(b);
        }
        batch.commit();
      }
      assertThat(listAll(store, new JobQuery("acme", null, null, null, null, null, 7, null)))
          .containsExactlyElementsOf(newestFirst(mine));

      long after = T0.plusMillis(2).toEpochMilli();
      long before = T0.plusMillis(9).toEpochMilli();
      List<JobRecord> inRange =
          mine.stream()
              .filter(
                  j ->
                      j.createdAt().toEpochMilli() > after && j.createdAt().toEpochMilli() < before)
              .toList();
      assertThat(inRange).hasSize(12);
      assertThat(listAll(store, new JobQuery("acme", null, null, after, before, null, 5, null)))
          .containsExactlyElementsOf(newestFirst(inRange));
      List<JobRecord> onH1 = mine.stream().filter(j -> j.url().contains("h1")).toList();
      assertThat(
              listAll(store, new JobQuery("acme", null, "H1.example", null, null, null, 4, null)))
          .containsExactlyElementsOf(newestFirst(onH1));
      assertThat(store.list(new JobQuery("nobody", null, null, null, null, null, 5, null)).jobs())
          .isEmpty();
      // A full last page says there is no next one only when nothing older is left.
      JobPage all = store.list(new JobQuery("acme", null, null, null, null, null, 25, null));
      assertThat(all.jobs()).hasSize(25);
      assertThat(all.next()).isNull();
    }
  }

  @Test
  void aSnapshotCarriesTheIndexes() {
    JobRecord j = job("acme", 1);
    Path checkpoint = dir.resolve("checkpoint");
    try (JobStore store = JobStore.open(dir.resolve("leader"))) {
      try (StoreBatch batch = store.batch()) {
        batch.putJob(new StoredJob(j, "f")).index(j).commit();
      }
      store.checkpoint(checkpoint);
    }
    try (JobStore store = JobStore.open(dir.resolve("follower"))) {
      store.restoreFrom(checkpoint);
      assertThat(
              store
                  .list(new JobQuery("acme", null, "h1.example", null, null, null, 9, null))
                  .jobs())
          .containsExactly(j);
    }
  }

  @Test
  void aStoreWrittenBeforeTheIndexesGetsThemWhenOpened() throws Exception {
    Path db = dir.resolve("old");
    List<JobRecord> jobs = new ArrayList<>();
    // The column families and records of the build before list indexes, written raw.
    List<String> oldFamilies =
        List.of("jobs", "due", "idempotency", "finished", "meta", "key-expiry");
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    oldFamilies.forEach(f -> descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(f))));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
      for (int i = 0; i < 30; i++) {
        JobRecord j = job(i % 3 == 0 ? "zeta" : "default", i);
        if (i % 3 != 0) {
          jobs.add(j);
        }
        rocks.put(
            handles.get(1), Keys.utf8(j.id()), StoredValueCodec.encode(new StoredJob(j, "f")));
      }
      handles.forEach(ColumnFamilyHandle::close);
    }

    try (JobStore store = JobStore.open(db)) {
      assertThat(listAll(store, new JobQuery("default", null, null, null, null, null, 8, null)))
          .containsExactlyElementsOf(newestFirst(jobs));
      assertThat(
              listAll(
                  store,
                  new JobQuery(
                      "default",
                      dev.shardhook.node.job.JobState.PENDING,
                      "h0.example",
                      null,
                      null,
                      null,
                      100,
                      null)))
          .containsExactlyElementsOf(
              newestFirst(jobs.stream().filter(j -> j.url().contains("h0")).toList()));
      assertThat(store.list(new JobQuery("zeta", null, null, null, null, null, 100, null)).jobs())
          .hasSize(10);
    }
    // Built once: a job written without index entries (as no apply does) stays unlisted at the
    // next open, which finds the flag and does not index the store again.
    JobRecord unindexed = job("default", 99);
    try (JobStore store = JobStore.open(db)) {
      try (StoreBatch batch = store.batch()) {
        batch.putJob(new StoredJob(unindexed, "f")).commit();
      }
    }
    try (JobStore store = JobStore.open(db)) {
      assertThat(store.job(unindexed.id())).isPresent();
      assertThat(
              store.list(new JobQuery("default", null, null, null, null, null, 100, null)).jobs())
          .hasSize(jobs.size());
    }
  }
}
