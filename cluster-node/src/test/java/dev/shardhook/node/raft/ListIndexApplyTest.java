package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.store.JobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The list indexes follow every state change an entry makes, and purging takes jobs out. */
class ListIndexApplyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long T = T0.toEpochMilli();

  @TempDir Path dir;
  private long index;

  private void apply(EntryApplier applier, Command c) {
    applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, ++index);
  }

  private static NewJob job(String id, String url, String key) {
    return new NewJob(
        id, key, "f-" + id, url, "POST", Map.of(), "{}", null, 500L, 1_000, EntryApplierTest.RETRY);
  }

  private static List<String> ids(JobStore store, JobState status, String host) {
    return ids(store.list(new JobQuery("default", status, host, null, null, null, 100, null)));
  }

  private static List<String> ids(JobPage page) {
    return page.jobs().stream().map(JobRecord::id).toList();
  }

  @Test
  void statusAndHostIndexesFollowOutcomesCancelsAndPurges() throws RocksDBException {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      // One job per entry, a millisecond apart, so that newest first is a known order.
      apply(applier, submitAt(0, job("ok", "http://A.example/x", null)));
      apply(applier, submitAt(1, job("bad", "http://a.example/y", "key-bad")));
      apply(applier, submitAt(2, job("gone", "http://b.example/z", null)));
      apply(applier, submitAt(3, job("wait", "http://b.example/w", null)));
      assertThat(ids(store, null, null)).containsExactly("wait", "gone", "bad", "ok");
      assertThat(ids(store, JobState.PENDING, null)).containsExactly("wait", "gone", "bad", "ok");

      apply(
          applier,
          new Command.Outcome(
              List.of(
                  new AttemptOutcome("ok", 1, T0.plusSeconds(1), 10, 200, null, null, false),
                  new AttemptOutcome("bad", 1, T0.plusSeconds(1), 10, 404, "404", null, false)),
              List.of(0.5, 0.5)));
      apply(applier, new Command.Cancel("gone", T + 2_000));

      assertThat(ids(store, JobState.PENDING, null)).containsExactly("wait");
      assertThat(ids(store, JobState.SUCCEEDED, null)).containsExactly("ok");
      assertThat(ids(store, JobState.FAILED, null)).containsExactly("bad");
      assertThat(ids(store, JobState.CANCELLED, null)).containsExactly("gone");
      assertThat(ids(store, null, "a.example")).containsExactly("bad", "ok");
      assertThat(ids(store, JobState.SUCCEEDED, "b.example")).isEmpty();
      assertThat(ids(store, JobState.CANCELLED, "b.example")).containsExactly("gone");
      assertThat(
              ids(
                  store.list(
                      new JobQuery("default", null, null, null, null, "key-bad", 100, null))))
          .containsExactly("bad");

      apply(applier, new Command.Purge(T + 100_000, T + 50_000, 1_000));
      assertThat(store.job("ok")).isEmpty();
      assertThat(ids(store, null, null)).containsExactly("wait");
      assertThat(ids(store, JobState.SUCCEEDED, null)).isEmpty();
      assertThat(ids(store, JobState.FAILED, null)).isEmpty();
      assertThat(ids(store, JobState.CANCELLED, null)).isEmpty();
      assertThat(ids(store, null, "a.example")).isEmpty();
      assertThat(ids(store, null, "b.example")).containsExactly("wait");
    }
    // Listing skips index entries whose job is gone, so count the entries themselves.
    assertThat(indexEntries(dir.resolve("db")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("by-created", 1, "by-status", 1, "by-host", 1));
  }

  private static Map<String, Integer> indexEntries(Path db) throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, db.toString())) {
        descriptors.add(new ColumnFamilyDescriptor(name));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    try (DBOptions options = new DBOptions();
        RocksDB rocks = RocksDB.openReadOnly(options, db.toString(), descriptors, handles)) {
      for (ColumnFamilyHandle h : handles) {
        String name = new String(h.getName(), StandardCharsets.UTF_8);
        if (name.startsWith("by-")) {
          int n = 0;
          try (RocksIterator it = rocks.newIterator(h)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              n++;
            }
          }
          counts.put(name, n);
        }
        h.close();
      }
    }
    return counts;
  }

  @Test
  void aRejectedJobOfAnEntryLeavesNoIndexEntry() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      apply(
          applier,
          new Command.Submit(
              T,
              T + 1,
              List.of(1),
              List.of(
                  job("in", "http://a.example/", null), job("out", "http://a.example/", null))));
      assertThat(ids(store, null, null)).containsExactly("in");
      assertThat(ids(store, null, "a.example")).containsExactly("in");
    }
  }

  private static Command.Submit submitAt(long offsetMs, NewJob job) {
    return new Command.Submit(T + offsetMs, T + 100_000, List.of(), List.of(job));
  }
}
