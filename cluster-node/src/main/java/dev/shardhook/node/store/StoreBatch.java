package dev.shardhook.node.store;

import dev.shardhook.node.codec.QueueBinary;
import dev.shardhook.node.codec.ScheduleBinary;
import dev.shardhook.node.job.DisabledDestination;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueCounts;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** One atomic write: every change of one log entry plus the applied term-index. */
public final class StoreBatch implements AutoCloseable {
  private final WriteBatch batch = new WriteBatch();
  private long earliestDuePut = Long.MAX_VALUE;
  private long jobsDeleted;
  // The log index of the entry this batch applies: a job that becomes final here is queued for
  // the history export under it; -1 when the batch is not an entry's.
  private long logIndex = -1;
  private boolean queuesWritten;

  private final JobStore store;

  StoreBatch(JobStore store) {
    this.store = store;
  }

  public StoreBatch putJob(StoredJob job) {
    return put(handles().jobs(), Keys.utf8(job.job().id()), StoredValueCodec.encode(job));
  }

  public StoreBatch putDue(long atMs, String id) {
    earliestDuePut = Math.min(earliestDuePut, atMs);
    return put(handles().due(), Keys.timeAndId(atMs, id), new byte[0]);
  }

  public StoreBatch deleteJob(String id) {
    jobsDeleted++;
    return delete(handles().jobs(), Keys.utf8(id));
  }

  /** Adds a new job to the list indexes (README, "Listing jobs"). */
  public StoreBatch index(JobRecord job) {
    JobStore.Db db = handles();
    put(db.byCreated(), IndexKeys.created(job), new byte[0]);
    put(db.byStatus(), IndexKeys.status(job, job.state()), new byte[0]);
    return put(db.byHost(), IndexKeys.host(job), new byte[0]);
  }

  /** The log index of the entry this batch writes (the history export queues under it). */
  public StoreBatch logIndex(long index) {
    this.logIndex = index;
    return this;
  }

  /**
   * Moves {@code before} (as stored until now) to the status of {@code after} in the indexes. A job
   * that becomes final here joins the history export queue; one that leaves a final state (a
   * replay) leaves it, and joins again, later, when it finishes again (README, "Job history").
   */
  public StoreBatch reindex(JobRecord before, JobRecord after) {
    if (before.state() == after.state()) {
      return this;
    }
    if (!before.state().isTerminal() && after.state().isTerminal()) {
      queueExport(after.id());
    } else if (before.state().isTerminal() && !after.state().isTerminal()) {
      unqueueExport(after.id());
    }
    delete(handles().byStatus(), IndexKeys.status(before, before.state()));
    return put(handles().byStatus(), IndexKeys.status(after, after.state()), new byte[0]);
  }

  /** Removes a job's list-index entries and its export entry, with the job. */
  public StoreBatch unindex(JobRecord job) {
    JobStore.Db db = handles();
    unqueueExport(job.id());
    delete(db.byCreated(), IndexKeys.created(job));
    delete(db.byStatus(), IndexKeys.status(job, job.state()));
    return delete(db.byHost(), IndexKeys.host(job));
  }

  /** Records how far the history exporter has gone (see {@link JobStore#exportedThrough}). */
  public StoreBatch exportedThrough(long index) {
    return put(handles().meta(), JobStore.EXPORTED_THROUGH, JobStore.longBytes(index));
  }

  /** Marks a destination disabled (README, "Destinations"). */
  public StoreBatch disableDestination(DisabledDestination d) {
    return put(handles().named("destinations"), Keys.utf8(d.host()), DestinationValues.encode(d));
  }

  /** Enables a destination again; nothing if it was not disabled. */
  public StoreBatch enableDestination(String host) {
    return delete(handles().named("destinations"), Keys.utf8(host));
  }

  private void queueExport(String id) {
    if (logIndex < 0) {
      return;
    }
    put(handles().exportQueue(), ExportKeys.entry(logIndex, id), new byte[0]);
    put(handles().finishIndex(), Keys.utf8(id), JobStore.longBytes(logIndex));
  }

  private void unqueueExport(String id) {
    Optional<Long> at = store.finishIndex(id);
    if (at.isPresent()) {
      delete(handles().exportQueue(), ExportKeys.entry(at.get(), id));
      delete(handles().finishIndex(), Keys.utf8(id));
    }
  }

  public StoreBatch deleteFinished(long atMs, String id) {
    return delete(handles().finished(), Keys.timeAndId(atMs, id));
  }

  public StoreBatch deleteIdempotency(String key) {
    return delete(handles().idempotency(), Keys.utf8(key));
  }

  public StoreBatch putKeyExpiry(long atMs, String key) {
    return put(handles().keyExpiry(), Keys.timeAndId(atMs, key), new byte[0]);
  }

  public StoreBatch deleteKeyExpiry(long atMs, String key) {
    return delete(handles().keyExpiry(), Keys.timeAndId(atMs, key));
  }

  public StoreBatch stored(long count) {
    return put(handles().meta(), JobStore.STORED, JobStore.longBytes(count));
  }

  public StoreBatch purgedBefore(long atMs) {
    return put(handles().meta(), JobStore.PURGED, JobStore.longBytes(atMs));
  }

  public StoreBatch deleteDue(long atMs, String id) {
    return delete(handles().due(), Keys.timeAndId(atMs, id));
  }

  public StoreBatch putOperation(OperationRecord op) {
    return put(handles().operations(), Keys.utf8(op.id()), StoredValueCodec.encode(op));
  }

  public StoreBatch deleteOperation(String id) {
    return delete(handles().operations(), Keys.utf8(id));
  }

  public StoreBatch putFinished(long atMs, String id) {
    return put(handles().finished(), Keys.timeAndId(atMs, id), new byte[0]);
  }

  public StoreBatch putIdempotency(String key, IdempotencyRecord record) {
    return put(handles().idempotency(), Keys.utf8(key), StoredValueCodec.encode(record));
  }

  public StoreBatch pending(long count) {
    return put(handles().meta(), JobStore.PENDING, JobStore.longBytes(count));
  }

  public StoreBatch pendingOf(String tenant, long count) {
    return put(handles().meta(), JobStore.pendingKey(tenant), JobStore.longBytes(count));
  }

  public StoreBatch applied(long term, long index) {
    return put(
        handles().meta(),
        JobStore.APPLIED,
        ByteBuffer.allocate(16).putLong(term).putLong(index).array());
  }

  /** Puts {@code jobId} into its ordering key at {@code seq} (README, "Ordering"). */
  public StoreBatch putOrdering(String scopedKey, OrderingSeq seq, String jobId) {
    put(handles().ordering(), OrderingKeyBytes.entry(scopedKey, seq), Keys.utf8(jobId));
    return put(handles().orderingSeq(), Keys.utf8(jobId), OrderingKeyBytes.seqBytes(seq));
  }

  /** Takes {@code jobId} out of its ordering key. */
  public StoreBatch deleteOrdering(String scopedKey, OrderingSeq seq, String jobId) {
    delete(handles().ordering(), OrderingKeyBytes.entry(scopedKey, seq));
    return delete(handles().orderingSeq(), Keys.utf8(jobId));
  }

  /** The ordering counts the metrics read (see {@link JobStore#orderingKeysActive}). */
  public StoreBatch orderingCounts(long entries, long keys, long blocked) {
    put(handles().meta(), JobStore.ORDERING_ENTRIES, JobStore.longBytes(entries));
    put(handles().meta(), JobStore.ORDERING_KEYS, JobStore.longBytes(keys));
    return put(handles().meta(), JobStore.ORDERING_BLOCKED, JobStore.longBytes(blocked));
  }

  /** Marks a point that {@link #rollbackToSavePoint} returns to; marks nest. */
  public StoreBatch savePoint() {
    batch.setSavePoint();
    return this;
  }

  /** Drops every write since the newest mark, and the mark. */
  public StoreBatch rollbackToSavePoint() {
    try {
      batch.rollbackToSavePoint();
    } catch (RocksDBException e) {
      throw new StoreException("batch rollback failed", e);
    }
    return this;
  }

  /** Forgets the newest mark and keeps the writes since it. */
  public StoreBatch releaseSavePoint() {
    try {
      batch.popSavePoint();
    } catch (RocksDBException e) {
      throw new StoreException("batch save point release failed", e);
    }
    return this;
  }

  /** Writes the batch atomically. */
  public void commit() {
    store.write(batch, earliestDuePut, jobsDeleted);
    if (queuesWritten) {
      store.queuesChanged();
    }
  }

  // Named queues (README, "Queues").

  public StoreBatch putQueue(QueueConfig queue) {
    queuesWritten = true;
    return put(
        handles().named("queues"),
        QueueKeys.config(queue.tenant(), queue.name()),
        QueueBinary.encode(queue));
  }

  public StoreBatch deleteQueue(String tenant, String name) {
    queuesWritten = true;
    delete(handles().named("queues"), QueueKeys.counts(tenant, name));
    return delete(handles().named("queues"), QueueKeys.config(tenant, name));
  }

  public StoreBatch queueCounts(String tenant, String name, QueueCounts counts) {
    return put(
        handles().named("queues"),
        QueueKeys.counts(tenant, name),
        QueueBinary.encodeCounts(counts));
  }

  /** The job joins its queue's pending index. */
  public StoreBatch putQueuePending(JobRecord job) {
    return put(handles().named("queue-pending"), QueueKeys.pending(job), new byte[0]);
  }

  public StoreBatch deleteQueuePending(JobRecord job) {
    return delete(handles().named("queue-pending"), QueueKeys.pending(job));
  }

  @Override
  public void close() {
    batch.close();
  }

  private JobStore.Db handles() {
    return store.handles();
  }

  /** A cron schedule (README, "Schedules"). */
  public StoreBatch putSchedule(ScheduleRecord schedule) {
    return put(
        handles().named(JobStore.SCHEDULES),
        Keys.utf8(schedule.id()),
        ScheduleBinary.encode(schedule));
  }

  public StoreBatch deleteSchedule(String id) {
    return delete(handles().named(JobStore.SCHEDULES), Keys.utf8(id));
  }

  private StoreBatch delete(ColumnFamilyHandle cf, byte[] key) {
    try {
      batch.delete(cf, key);
    } catch (RocksDBException e) {
      throw new StoreException("batch delete failed", e);
    }
    return this;
  }

  private StoreBatch put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
    try {
      batch.put(cf, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("batch put failed", e);
    }
    return this;
  }
}
