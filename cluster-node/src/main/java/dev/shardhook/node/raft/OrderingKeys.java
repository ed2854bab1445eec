package dev.shardhook.node.raft;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.OrderingSeq;
import dev.shardhook.node.store.StoreBatch;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ordering keys as one entry's apply sees them: the store's {@code ordering} family plus what
 * this entry changed so far (README, "Ordering"). Only a key's head (its first job) is ever in the
 * due index; the others wait, pending, until the head leaves the key.
 */
final class OrderingKeys {
  private final JobStore store;
  private final StoreBatch batch;
  // This entry's changes: entries added per key, store entries removed per key, each job's place.
  private final Map<String, TreeMap<OrderingSeq, String>> added = new HashMap<>();
  private final Map<String, Set<OrderingSeq>> removed = new HashMap<>();
  private final Map<String, Optional<OrderingSeq>> places = new HashMap<>();
  private final Deque<Runnable> undo = new ArrayDeque<>();
  private long entries;
  private long keys;
  private long blocked;
  private boolean loaded;
  private boolean changed;

  OrderingKeys(JobStore store, StoreBatch batch) {
    this.store = store;
    this.batch = batch;
  }

  /** The key's scope in the store: one tenant's key never meets another tenant's. */
  static String scopedKey(JobRecord job) {
    return TenantIds.tenantOf(job.id()) + '/' + job.orderingKey();
  }

  /** The first job of the key, if any. */
  Optional<JobStore.OrderingEntry> head(String key) {
    Set<OrderingSeq> gone = removed.getOrDefault(key, Set.of());
    JobStore.OrderingEntry first = null;
    for (JobStore.OrderingEntry e : store.orderingEntries(key, gone.size() + 1)) {
      if (!gone.contains(e.seq())) {
        first = e;
        break;
      }
    }
    TreeMap<OrderingSeq, String> mine = added.get(key);
    if (mine != null && !mine.isEmpty()) {
      var m = mine.firstEntry();
      if (first == null || m.getKey().compareTo(first.seq()) < 0) {
        first = new JobStore.OrderingEntry(m.getKey(), m.getValue());
      }
    }
    return Optional.ofNullable(first);
  }

  /** Where the job is in its key, while it is in one. */
  Optional<OrderingSeq> place(String jobId) {
    Optional<OrderingSeq> p = places.get(jobId);
    return p != null ? p : store.orderingSeq(jobId);
  }

  boolean isHead(String key, String jobId) {
    return head(key).map(e -> e.jobId().equals(jobId)).orElse(false);
  }

  /** Appends the job to its key; true when it is the key's head (nothing ahead of it). */
  boolean join(String key, OrderingSeq seq, String jobId) {
    load();
    boolean first = head(key).isEmpty();
    Optional<OrderingSeq> before = places.get(jobId);
    added.computeIfAbsent(key, k -> new TreeMap<>()).put(seq, jobId);
    places.put(jobId, Optional.of(seq));
    batch.putOrdering(key, seq, jobId);
    entries++;
    if (first) {
      keys++;
    }
    undo.push(
        () -> {
          added.get(key).remove(seq);
          restore(jobId, before);
          entries--;
          if (first) {
            keys--;
          }
        });
    changed = true;
    return first;
  }

  /** Takes the job out of its key. */
  void leave(String key, OrderingSeq seq, String jobId) {
    load();
    Optional<OrderingSeq> before = places.get(jobId);
    TreeMap<OrderingSeq, String> mine = added.get(key);
    boolean wasAdded = mine != null && mine.remove(seq) != null;
    if (!wasAdded) {
      removed.computeIfAbsent(key, k -> new HashSet<>()).add(seq);
    }
    places.put(jobId, Optional.empty());
    batch.deleteOrdering(key, seq, jobId);
    entries--;
    boolean emptied = head(key).isEmpty();
    if (emptied) {
      keys--;
    }
    undo.push(
        () -> {
          if (wasAdded) {
            added.get(key).put(seq, jobId);
          } else {
            removed.get(key).remove(seq);
          }
          restore(jobId, before);
          entries++;
          if (emptied) {
            keys++;
          }
        });
    changed = true;
  }

  /** A head failed terminally and now blocks its key (+1), or stopped blocking it (-1). */
  void blocked(int delta) {
    load();
    blocked += delta;
    undo.push(() -> blocked -= delta);
    changed = true;
  }

  /** Starts one item of the entry: {@link #rollback} undoes what follows. */
  void begin() {
    undo.clear();
  }

  void rollback() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }

  /** Writes the counts, once per entry, if anything changed. */
  void flush() {
    if (changed) {
      batch.orderingCounts(entries, keys, Math.max(0, blocked));
    }
  }

  private void load() {
    if (!loaded) {
      entries = store.orderingEntryCount();
      keys = store.orderingKeysActive();
      blocked = store.orderingBlockedKeys();
      loaded = true;
    }
  }

  private void restore(String jobId, Optional<OrderingSeq> before) {
    if (before == null) {
      places.remove(jobId);
    } else {
      places.put(jobId, before);
    }
  }
}
