package dev.shardhook.node.store;

import dev.shardhook.api.routing.JobIds;
import dev.shardhook.node.codec.QueueBinary;
import dev.shardhook.node.codec.ScheduleBinary;
import dev.shardhook.node.job.DisabledDestination;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueCounts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's RocksDB: jobs, the due index, idempotency keys, the finished index, the key-expiry
 * index, the list indexes, bulk operations and meta (last applied term-index, pending and stored
 * counts, purge position), always written together in one batch.
 *
 * <p>The RocksDB WAL is off: the Raft log is the write-ahead log. Flushes are atomic across column
 * families, so after a crash the database is a consistent prefix of the log and replay from the
 * stored applied index restores the rest.
 */
public final class JobStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

  /**
   * Jobs deleted since the last compaction that start one, when they are also at least as many as
   * the jobs still stored: a full compaction then costs at most twice what it reclaims.
   */
  static final long COMPACT_AFTER_DELETES = 10_000;

  static final byte[] APPLIED = Keys.utf8("applied");
  static final byte[] PENDING = Keys.utf8("pending");
  static final byte[] STORED = Keys.utf8("stored");
  static final byte[] PURGED = Keys.utf8("purged-before");
  // Set once the list indexes cover every stored job: stores written before they existed get
  // them built when first opened.
  static final byte[] INDEXED = Keys.utf8("list-indexes");
  // How far the history exporter has gone, as the leader last proposed it (README, "Job history").
  static final byte[] EXPORTED_THROUGH = Keys.utf8("exported-through");
  // Set once the queue-pending index and queue depths cover every stored job (README, "Queues").
  static final byte[] QUEUE_INDEXED = Keys.utf8("queue-index");
  private static final List<String> FAMILIES =
      List.of(
          "jobs",
          "due",
          "idempotency",
          "finished",
          "meta",
          "key-expiry",
          "by-created",
          "by-status",
          "by-host",
          "operations",
          "export-queue",
          "finish-index",
          "ordering",
          "ordering-seq",
          JobStore.SCHEDULES,
          // named queues (README, "Queues"): configurations and counts, pending jobs per queue
          "queues",
          "queue-pending",
          // disabled destinations (README, "Destinations")
          "destinations");
  // Index entries one rebuild batch writes, so an old store of millions of jobs is indexed in
  // bounded memory.
  private static final int REBUILD_BATCH = 10_000;
  // Index entries one list page reads at most: a page whose filters the chosen index does not
  // cover (a status and a host) ends there, with a cursor, instead of walking the whole index.
  static final int MAX_LIST_SCAN = 10_000;

  private final Path dir;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
  private final DueFloor dueFloor = new DueFloor();
  // Deleted records stay on disk until compaction reaches them: after many purges the store
  // compacts itself, so disk use follows the stored count.
  private final AtomicLong jobsDeletedSinceCompaction = new AtomicLong();
  private final AtomicBoolean compacting = new AtomicBoolean();
  private final AtomicLong compactions = new AtomicLong();
  private final ExecutorService compactor =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("store-compactor").daemon().factory());
  private volatile boolean closing;
  private Db db;
  // Moves on whenever a queue's configuration may have changed, so readers may cache them.
  private final AtomicLong queueGeneration = new AtomicLong();

  record Db(
      RocksDB rocks,
      DBOptions options,
      ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles,
      ColumnFamilyHandle jobs,
      ColumnFamilyHandle due,
      ColumnFamilyHandle idempotency,
      ColumnFamilyHandle finished,
      ColumnFamilyHandle meta,
      ColumnFamilyHandle keyExpiry,
      ColumnFamilyHandle byCreated,
      ColumnFamilyHandle byStatus,
      ColumnFamilyHandle byHost,
      ColumnFamilyHandle operations,
      ColumnFamilyHandle exportQueue,
      ColumnFamilyHandle finishIndex,
      ColumnFamilyHandle ordering,
      ColumnFamilyHandle orderingSeq) {
    /** A family by its name, for the families added after this record's components. */
    ColumnFamilyHandle named(String name) {
      return handles.get(1 + FAMILIES.indexOf(name));
    }

    void close() {
      handles.forEach(ColumnFamilyHandle::close);
      rocks.close();
      options.close();
      cfOptions.close();
    }
  }

  /** The applied Raft position stored with the data. */
  public record Applied(long term, long index) {}

  private JobStore(Path dir) {
    this.dir = dir;
    this.db = openIndexed(dir);
  }

  private static Db openIndexed(Path dir) {
    Db opened = openDb(dir);
    try {
      buildIndexes(opened);
      buildQueueIndex(opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /**
   * Indexes every stored job for listing, once, in a store written before the list indexes existed
   * (or restored from such a checkpoint). Puts are idempotent: a rebuild cut short is simply done
   * again at the next open.
   */
  private static void buildIndexes(Db db) {
    try {
      if (db.rocks.get(db.meta, INDEXED) != null) {
        return;
      }
      long started = System.nanoTime();
      long indexed = 0;
      try (WriteOptions wo = new WriteOptions().setDisableWAL(true);
          RocksIterator it = db.rocks.newIterator(db.jobs)) {
        WriteBatch batch = new WriteBatch();
        try {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            var job = StoredValueCodec.decodeJob(it.value()).job();
            batch.put(db.byCreated, IndexKeys.created(job), new byte[0]);
            batch.put(db.byStatus, IndexKeys.status(job, job.state()), new byte[0]);
            batch.put(db.byHost, IndexKeys.host(job), new byte[0]);
            if (++indexed % REBUILD_BATCH == 0) {
              db.rocks.write(wo, batch);
              batch.close();
              batch = new WriteBatch();
            }
          }
          batch.put(db.meta, INDEXED, new byte[] {1});
          db.rocks.write(wo, batch);
        } finally {
          batch.close();
        }
      }
      if (indexed > 0) {
        LOG.info(
            "indexed {} stored jobs for listing in {} ms",
            indexed,
            (System.nanoTime() - started) / 1_000_000);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot build the list indexes", e);
    }
  }

  /**
   * Puts every pending job of a store written before named queues existed into its queue's pending
   * index, and counts each queue's depth, once (README, "Queues"). Every replica does it from the
   * same state, so their counts agree from then on.
   */
  private static void buildQueueIndex(Db db) {
    try {
      if (db.rocks.get(db.meta, QUEUE_INDEXED) != null) {
        return;
      }
      java.util.Map<List<String>, long[]> depth = new java.util.HashMap<>();
      try (WriteOptions wo = new WriteOptions().setDisableWAL(true);
          WriteBatch batch = new WriteBatch();
          RocksIterator it = db.rocks.newIterator(db.byStatus)) {
        // Only pending jobs matter: the status index holds them under each tenant's scope.
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] key = it.key();
          int nul = 0;
          while (nul < key.length && key[nul] != 0) {
            nul++;
          }
          if (nul + 1 >= key.length || key[nul + 1] != (byte) JobState.PENDING.ordinal()) {
            continue;
          }
          byte[] scope = Arrays.copyOf(key, nul + 2);
          String id = IndexKeys.id(scope, key);
          byte[] v = db.rocks.get(db.jobs, Keys.utf8(id));
          if (v == null) {
            continue;
          }
          JobRecord job = StoredValueCodec.decodeJob(v).job();
          batch.put(db.named("queue-pending"), QueueKeys.pending(job), new byte[0]);
          depth
              .computeIfAbsent(List.of(TenantIds.tenantOf(id), job.queue()), k -> new long[1])[0]++;
        }
        it.status();
        for (var e : depth.entrySet()) {
          batch.put(
              db.named("queues"),
              QueueKeys.counts(e.getKey().get(0), e.getKey().get(1)),
              QueueBinary.encodeCounts(new QueueCounts(e.getValue()[0], 0, 0)));
        }
        batch.put(db.meta, QUEUE_INDEXED, new byte[] {1});
        db.rocks.write(wo, batch);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot build the queue index", e);
    }
  }

  /** Opens (creating if needed) the database in {@code dir}. */
  public static JobStore open(Path dir) {
    return new JobStore(dir);
  }

  private static Db openDb(Path dir) {
    try {
      Files.createDirectories(dir);
      DBOptions options =
          new DBOptions()
              .setCreateIfMissing(true)
              .setCreateMissingColumnFamilies(true)
              .setAtomicFlush(true)
              .setMaxBackgroundJobs(2)
              .setWriteBufferManager(StoreMemory.writeBuffers());
      ColumnFamilyOptions cfOptions =
          new ColumnFamilyOptions()
              .setWriteBufferSize(StoreMemory.WRITE_BUFFER_BYTES)
              .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(StoreMemory.cache()));
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
      for (String name : FAMILIES) {
        descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(name), cfOptions));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB rocks = RocksDB.open(options, dir.toString(), descriptors, handles);
      return new Db(
          rocks,
          options,
          cfOptions,
          handles,
          handles.get(1),
          handles.get(2),
          handles.get(3),
          handles.get(4),
          handles.get(5),
          handles.get(6),
          handles.get(7),
          handles.get(8),
          handles.get(9),
          handles.get(10),
          handles.get(11),
          handles.get(12),
          handles.get(13),
          handles.get(14));
    } catch (RocksDBException | IOException e) {
      throw new StoreException("cannot open RocksDB in " + dir, e);
    }
  }

  public Optional<StoredJob> job(String id) {
    return read(db -> decodeJob(db.rocks.get(db.jobs, Keys.utf8(id))));
  }

  public Optional<IdempotencyRecord> idempotency(String key) {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.idempotency, Keys.utf8(key));
          return v == null ? Optional.empty() : Optional.of(StoredValueCodec.decodeIdempotency(v));
        });
  }

  /** A bulk operation by its scoped id (README, "Replaying failed jobs"). */
  public Optional<OperationRecord> operation(String id) {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.operations, Keys.utf8(id));
          return v == null ? Optional.empty() : Optional.of(StoredValueCodec.decodeOperation(v));
        });
  }

  /**
   * Up to {@code limit} ids of bulk operations that finished at or before {@code atMs}, for the
   * retention purge. Operations are few (one per bulk request), so this reads them all.
   */
  public List<String> operationsFinishedBy(long atMs, int limit) {
    return read(
        db -> {
          List<String> out = new ArrayList<>();
          try (RocksIterator it = db.rocks.newIterator(db.operations)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
              OperationRecord op = StoredValueCodec.decodeOperation(it.value());
              if (!op.running() && op.finishedAtMs() <= atMs) {
                out.add(op.id());
              }
            }
            it.status();
          }
          return out;
        });
  }

  /** The bulk operations still running, for the leader's worker; finished ones are skipped. */
  public List<OperationRecord> runningOperations() {
    return read(
        db -> {
          List<OperationRecord> out = new ArrayList<>();
          try (RocksIterator it = db.rocks.newIterator(db.operations)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              OperationRecord op = StoredValueCodec.decodeOperation(it.value());
              if (op.running()) {
                out.add(op);
              }
            }
            it.status();
          }
          return out;
        });
  }

  /** Records that entry {@code index} was applied without any other change. */
  public void markApplied(long term, long index) {
    try (StoreBatch batch = batch()) {
      batch.applied(term, index).commit();
    }
  }

  public long pending() {
    return read(db -> readLong(db.rocks.get(db.meta, PENDING)));
  }

  /** Pending jobs of one tenant (README, "Security": quotas). */
  public long pendingOf(String tenant) {
    return read(db -> readLong(db.rocks.get(db.meta, pendingKey(tenant))));
  }

  static final byte[] ORDERING_ENTRIES = Keys.utf8("ordering/entries");
  static final byte[] ORDERING_KEYS = Keys.utf8("ordering/keys");
  static final byte[] ORDERING_BLOCKED = Keys.utf8("ordering/blocked");

  static byte[] pendingKey(String tenant) {
    return Keys.utf8("pending/" + tenant);
  }

  /** Jobs of any status held in the store. */
  public long stored() {
    return read(db -> readLong(db.rocks.get(db.meta, STORED)));
  }

  /**
   * Every finished-index entry before this time has been purged, so scans start here and skip the
   * tombstones purging left; 0 when nothing was purged yet.
   */
  public long purgedBefore() {
    return read(db -> readLong(db.rocks.get(db.meta, PURGED)));
  }

  public Optional<Applied> applied() {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.meta, APPLIED);
          if (v == null) {
            return Optional.empty();
          }
          ByteBuffer b = ByteBuffer.wrap(v);
          return Optional.of(new Applied(b.getLong(), b.getLong()));
        });
  }

  /**
   * Up to {@code limit} finished-index entries at or before {@code atMs}, oldest first, as (time,
   * id) pairs.
   */
  public List<Indexed> finishedUpTo(long atMs, int limit) {
    return read(db -> scan(db, db.finished, readLong(db.rocks.get(db.meta, PURGED)), atMs, limit));
  }

  /** Up to {@code limit} key-expiry entries at or before {@code atMs}, as (time, key) pairs. */
  public List<Indexed> keysExpiredBy(long atMs, int limit) {
    return read(db -> scan(db, db.keyExpiry, Long.MIN_VALUE, atMs, limit));
  }

  /**
   * The log index the history exporter last reported as exported through, or -1 when none did: the
   * purge keeps jobs that finished after it (README, "Job history").
   */
  public long exportedThrough() {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.meta, EXPORTED_THROUGH);
          return v == null ? -1L : ByteBuffer.wrap(v).getLong();
        });
  }

  /** The log index at which {@code id} last became final, while its export entry is queued. */
  public Optional<Long> finishIndex(String id) {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.finishIndex, Keys.utf8(id));
          return v == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(v).getLong());
        });
  }

  /** A job that became final at log index {@code index}, waiting in the export queue. */
  public record Exportable(long index, String id) {}

  /**
   * About {@code limit} export-queue entries after log index {@code afterIndex}, oldest first. A
   * page never ends inside one log index (one entry may finish many jobs): it goes on to the last
   * job of its last index, so a reader that resumes after that index misses none.
   */
  public List<Exportable> exportQueue(long afterIndex, int limit) {
    return read(
        db -> {
          List<Exportable> out = new ArrayList<>();
          try (Slice lower = new Slice(ExportKeys.from(Math.max(0, afterIndex + 1)));
              ReadOptions ro = new ReadOptions().setIterateLowerBound(lower);
              RocksIterator it = db.rocks.newIterator(db.exportQueue, ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              long index = ExportKeys.index(it.key());
              if (out.size() >= limit && index != out.getLast().index()) {
                break;
              }
              out.add(new Exportable(index, ExportKeys.id(it.key())));
            }
          }
          return out;
        });
  }

  /** An entry of a time-ordered index. */
  public record Indexed(long atMs, String id) {}

  private static List<Indexed> scan(
      Db db, ColumnFamilyHandle cf, long fromMs, long toMs, int limit) {
    List<Indexed> out = new ArrayList<>();
    if (toMs < fromMs) {
      return out;
    }
    try (Slice lower = new Slice(Keys.from(fromMs));
        Slice upper = new Slice(Keys.after(toMs));
        ReadOptions ro = new ReadOptions().setIterateLowerBound(lower);
        RocksIterator it = db.rocks.newIterator(cf, ro.setIterateUpperBound(upper))) {
      for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
        out.add(new Indexed(Keys.time(it.key()), Keys.id(it.key())));
      }
    }
    return out;
  }

  /**
   * One page of {@code query}, newest first (creation time, then id), read from one snapshot of the
   * store: the status index when a status is asked for, else the host index when a host is, else
   * all of the tenant's jobs. Other filters are checked on each job read.
   */
  public JobPage list(JobQuery query) {
    return read(
        db -> {
          if (query.idempotencyKey() != null) {
            return byKey(db, query);
          }
          ColumnFamilyHandle cf;
          byte[] scope;
          if (query.status() != null) {
            cf = db.byStatus;
            scope = IndexKeys.statusScope(query.tenant(), query.status());
          } else if (query.host() != null) {
            cf = db.byHost;
            scope = IndexKeys.hostScope(query.tenant(), query.host());
          } else {
            cf = db.byCreated;
            scope = IndexKeys.tenantScope(query.tenant());
          }
          return scanPage(db, cf, scope, query);
        });
  }

  private static JobPage byKey(Db db, JobQuery query) throws RocksDBException {
    byte[] v = db.rocks.get(db.idempotency, Keys.utf8(query.idempotencyKey()));
    if (v == null) {
      return new JobPage(List.of(), null);
    }
    String id = StoredValueCodec.decodeIdempotency(v).jobId();
    return new JobPage(
        decodeJob(db.rocks.get(db.jobs, Keys.utf8(id)))
            .map(StoredJob::job)
            .filter(query::matches)
            .stream()
            .toList(),
        null);
  }

  private static JobPage scanPage(Db db, ColumnFamilyHandle cf, byte[] scope, JobQuery query)
      throws RocksDBException {
    byte[] lower =
        query.createdAfter() == null || query.createdAfter() == Long.MAX_VALUE
            ? scope
            : IndexKeys.from(scope, query.createdAfter() + 1);
    byte[] upper =
        query.createdBefore() == null
            ? IndexKeys.end(scope)
            : IndexKeys.from(scope, query.createdBefore());
    List<JobRecord> out = new ArrayList<>();
    JobQuery.Position last = null;
    if (query.createdAfter() != null && query.createdAfter() == Long.MAX_VALUE) {
      return new JobPage(out, null);
    }
    // One snapshot for the index and the jobs, so a job that changed meanwhile is seen as the
    // index saw it.
    Snapshot snapshot = db.rocks.getSnapshot();
    try (Slice lo = new Slice(lower);
        Slice hi = new Slice(upper);
        ReadOptions ro =
            new ReadOptions()
                .setSnapshot(snapshot)
                .setIterateLowerBound(lo)
                .setIterateUpperBound(hi);
        RocksIterator it = db.rocks.newIterator(cf, ro)) {
      JobQuery.Position after = query.after();
      if (after == null) {
        it.seekToLast();
      } else {
        byte[] from = IndexKeys.entry(scope, after.createdAtMs(), after.id());
        it.seekForPrev(from);
        if (it.isValid() && Arrays.equals(it.key(), from)) {
          it.prev();
        }
      }
      int scanned = 0;
      for (; it.isValid() && out.size() < query.limit() && scanned < MAX_LIST_SCAN; it.prev()) {
        byte[] key = it.key();
        scanned++;
        String id = IndexKeys.id(scope, key);
        last = new JobQuery.Position(IndexKeys.time(scope, key), id);
        decodeJob(db.rocks.get(db.jobs, ro, Keys.utf8(id)))
            .map(StoredJob::job)
            .filter(query::matches)
            .ifPresent(out::add);
      }
      it.status();
      return new JobPage(out, it.isValid() ? last : null);
    } finally {
      db.rocks.releaseSnapshot(snapshot);
    }
  }

  /** Whether the due index holds {@code id} at {@code atMs}: a point read, nothing decoded. */
  public boolean isDue(long atMs, String id) {
    return read(db -> db.rocks.get(db.due, Keys.timeAndId(atMs, id)) != null);
  }

  public Optional<Long> earliestDue() {
    return read(
        db -> {
          DueFloor.Reading floor = dueFloor.read();
          try (Slice lower = new Slice(Keys.from(floor.atMs()));
              ReadOptions ro = new ReadOptions().setIterateLowerBound(lower);
              RocksIterator it = db.rocks.newIterator(db.due, ro)) {
            it.seekToFirst();
            if (!it.isValid()) {
              return Optional.empty();
            }
            long first = Keys.time(it.key());
            dueFloor.raise(floor, first);
            return Optional.of(first);
          }
        });
  }

  /**
   * Up to {@code limit} jobs due at or before {@code nowMs}, reading the due index from just after
   * {@code after} (from its head when null), skipping ids {@code skip} accepts, reading at most
   * {@code maxScanned} index entries. The page says where it stopped, so the next read can go on
   * from there: a long run of skipped entries at the head is walked once per pass, not per read.
   */
  public DuePage duePage(
      DuePage.Position after, long nowMs, int limit, int maxScanned, Predicate<String> skip) {
    return read(
        db -> {
          List<StoredJob> out = new ArrayList<>();
          DuePage.Position last = after;
          DueFloor.Reading floor = dueFloor.read();
          byte[] lowest = Keys.from(floor.atMs());
          // Bounds keep the iterator off the tombstones of delivered jobs: those before the
          // earliest live entry (the floor) and those after now.
          try (Slice lower = new Slice(lowest);
              Slice upper = new Slice(Keys.after(nowMs));
              ReadOptions ro =
                  new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
              RocksIterator it = db.rocks.newIterator(db.due, ro)) {
            byte[] from = after == null ? null : Keys.timeAndId(after.atMs(), after.id());
            if (from == null || Arrays.compareUnsigned(from, lowest) < 0) {
              it.seekToFirst();
              if (it.isValid()) {
                dueFloor.raise(floor, Keys.time(it.key()));
              }
            } else {
              it.seek(from);
              if (it.isValid() && Arrays.equals(it.key(), from)) {
                it.next();
              }
            }
            int scanned = 0;
            for (; it.isValid() && out.size() < limit && scanned < maxScanned; it.next()) {
              byte[] key = it.key();
              scanned++;
              String id = Keys.id(key);
              last = new DuePage.Position(Keys.time(key), id);
              if (!skip.test(id)) {
                decodeJob(db.rocks.get(db.jobs, Keys.utf8(id))).ifPresent(out::add);
              }
            }
            return new DuePage(out, last, !it.isValid());
          }
        });
  }

  /** One job of an ordering key, at the place it joined (README, "Ordering"). */
  public record OrderingEntry(OrderingSeq seq, String jobId) {}

  /** The first {@code limit} jobs of the scoped ordering key, in acceptance order. */
  public List<OrderingEntry> orderingEntries(String scopedKey, int limit) {
    return read(
        db -> {
          List<OrderingEntry> out = new ArrayList<>();
          try (Slice lower = new Slice(OrderingKeyBytes.scope(scopedKey));
              Slice upper = new Slice(OrderingKeyBytes.end(scopedKey));
              ReadOptions ro =
                  new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
              RocksIterator it = db.rocks.newIterator(db.ordering, ro)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
              out.add(
                  new OrderingEntry(
                      OrderingKeyBytes.seq(it.key()), OrderingKeyBytes.jobId(it.value())));
            }
            it.status();
          }
          return out;
        });
  }

  /** The job just ahead of {@code seq} in its ordering key: the one it waits for. */
  public Optional<String> orderingPredecessor(String scopedKey, OrderingSeq seq) {
    return read(
        db -> {
          try (Slice lower = new Slice(OrderingKeyBytes.scope(scopedKey));
              ReadOptions ro = new ReadOptions().setIterateLowerBound(lower);
              RocksIterator it = db.rocks.newIterator(db.ordering, ro)) {
            byte[] at = OrderingKeyBytes.entry(scopedKey, seq);
            it.seekForPrev(at);
            if (it.isValid() && Arrays.equals(it.key(), at)) {
              it.prev();
            }
            return it.isValid()
                ? Optional.of(OrderingKeyBytes.jobId(it.value()))
                : Optional.<String>empty();
          }
        });
  }

  /** Where the job {@code jobId} joined its ordering key, while it is in it. */
  public Optional<OrderingSeq> orderingSeq(String jobId) {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.orderingSeq, Keys.utf8(jobId));
          return v == null ? Optional.empty() : Optional.of(OrderingKeyBytes.seqOf(v));
        });
  }

  /** Ordering keys with at least one unfinished (or blocking) job. */
  public long orderingKeysActive() {
    return read(db -> readLong(db.rocks.get(db.meta, ORDERING_KEYS)));
  }

  /** Jobs waiting behind the head of their ordering key. */
  public long orderingWaitingJobs() {
    return read(
        db ->
            readLong(db.rocks.get(db.meta, ORDERING_ENTRIES))
                - readLong(db.rocks.get(db.meta, ORDERING_KEYS)));
  }

  /** Ordering keys whose head failed and blocks them until it is replayed or cancelled. */
  public long orderingBlockedKeys() {
    return read(db -> readLong(db.rocks.get(db.meta, ORDERING_BLOCKED)));
  }

  /** Ordering entries (heads and waiting jobs) in all keys. */
  public long orderingEntryCount() {
    return read(db -> readLong(db.rocks.get(db.meta, ORDERING_ENTRIES)));
  }

  /** Starts an atomic group of writes. */
  public StoreBatch batch() {
    return new StoreBatch(this);
  }

  /** The column families now open (restoring a snapshot replaces them). */
  Db handles() {
    return db;
  }

  /** Writes {@code batch} atomically; see {@link StoreBatch#commit()}. */
  void write(WriteBatch batch, long earliestDuePut, long jobsDeleted) {
    lock.readLock().lock();
    try {
      db.rocks.write(writeOptions, batch);
      // After the write, so a scan that missed these entries cannot raise the floor past them.
      dueFloor.lower(earliestDuePut);
    } catch (RocksDBException e) {
      throw new StoreException("RocksDB write failed", e);
    } finally {
      lock.readLock().unlock();
    }
    if (jobsDeleted > 0) {
      deleted(jobsDeleted);
    }
  }

  /** Writes a consistent copy of the database into {@code target} (which must not exist). */
  public void checkpoint(Path target) {
    read(
        db -> {
          try (Checkpoint cp = Checkpoint.create(db.rocks)) {
            cp.createCheckpoint(target.toString());
          }
          return null;
        });
  }

  /** Replaces the whole database with a copy of the checkpoint in {@code source}. */
  public void restoreFrom(Path source) {
    lock.writeLock().lock();
    try {
      db.close();
      FileTrees.delete(dir);
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      db = openIndexed(dir);
      dueFloor.reset();
      queueGeneration.incrementAndGet();
    } catch (IOException e) {
      throw new StoreException("cannot restore RocksDB from " + source, e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Compactions started by purging that completed (tests). */
  long compactions() {
    return compactions.get();
  }

  private void deleted(long jobs) {
    long since = jobsDeletedSinceCompaction.addAndGet(jobs);
    if (since < COMPACT_AFTER_DELETES
        || since < stored()
        || !compacting.compareAndSet(false, true)) {
      return;
    }
    try {
      compactor.execute(this::compact);
    } catch (RejectedExecutionException e) {
      compacting.set(false);
    }
  }

  private void compact() {
    try {
      long deleted = jobsDeletedSinceCompaction.getAndSet(0);
      long started = System.nanoTime();
      // Forced, or a lone file of tombstones is only moved to the last level, not rewritten.
      try (CompactRangeOptions options =
          new CompactRangeOptions()
              .setBottommostLevelCompaction(
                  CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)) {
        for (int i = 0; i < FAMILIES.size() + 1 && !closing; i++) {
          int family = i;
          read(
              db -> {
                db.rocks.compactRange(db.handles.get(family), null, null, options);
                return null;
              });
        }
      }
      compactions.incrementAndGet();
      LOG.info(
          "compacted the store after {} jobs were purged, in {} ms",
          deleted,
          (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      LOG.warn("compaction after purging failed; RocksDB compacts on its own later", e);
    } finally {
      compacting.set(false);
    }
  }

  @Override
  public void close() {
    closing = true;
    compactor.shutdown();
    lock.writeLock().lock();
    try {
      if (db != null) {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
          db.rocks.flush(fo, db.handles);
        } catch (RocksDBException e) {
          throw new StoreException("flush on close failed", e);
        } finally {
          db.close();
          db = null;
          writeOptions.close();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  // Cron schedules (README, "Schedules"), keyed by scoped id. Found by name in the handle list, so
  // the Db record stays as it is.
  static final String SCHEDULES = "schedules";

  /** A schedule by its scoped id. */
  public Optional<ScheduleRecord> schedule(String id) {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.named(SCHEDULES), Keys.utf8(id));
          return v == null ? Optional.empty() : Optional.of(ScheduleBinary.decode(v));
        });
  }

  /** Every schedule of every tenant, for the leader's loop and the gauge. */
  public List<ScheduleRecord> schedules() {
    return read(
        db -> {
          List<ScheduleRecord> out = new ArrayList<>();
          try (RocksIterator it = db.rocks.newIterator(db.named(SCHEDULES))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              out.add(ScheduleBinary.decode(it.value()));
            }
            it.status();
          }
          return out;
        });
  }

  /**
   * Up to {@code limit} of {@code tenant}'s schedules by id, after the scoped id {@code after}
   * (null: from the first).
   */
  public List<ScheduleRecord> schedulesOf(String tenant, String after, int limit) {
    // The default tenant's ids are bare (no "tenant/"): its keys are those without a slash.
    String prefix = tenant.equals(JobIds.DEFAULT_TENANT) ? "" : tenant + "/";
    return read(
        db -> {
          List<ScheduleRecord> out = new ArrayList<>();
          try (RocksIterator it = db.rocks.newIterator(db.named(SCHEDULES))) {
            it.seek(Keys.utf8(after == null ? prefix : after));
            for (; it.isValid() && out.size() < limit; it.next()) {
              String key = new String(it.key(), java.nio.charset.StandardCharsets.UTF_8);
              if (!key.startsWith(prefix)) {
                break;
              }
              if ((after != null && key.equals(after))
                  || (prefix.isEmpty() && key.indexOf('/') >= 0)) {
                continue;
              }
              out.add(ScheduleBinary.decode(it.value()));
            }
            it.status();
          }
          return out;
        });
  }

  /** A tenant's configured queue (README, "Queues"); empty when it was never configured. */
  public Optional<QueueConfig> queue(String tenant, String name) {
    return read(
        db -> {
          byte[] v = db.rocks.get(db.named("queues"), QueueKeys.config(tenant, name));
          return v == null ? Optional.empty() : Optional.of(QueueBinary.decode(v));
        });
  }

  /** A tenant's configured queues, by name; at most {@code limit}. */
  public List<QueueConfig> queues(String tenant, int limit) {
    return read(
        db -> {
          List<QueueConfig> out = new ArrayList<>();
          byte[] prefix = QueueKeys.configs(tenant);
          try (RocksIterator it = db.rocks.newIterator(db.named("queues"))) {
            for (it.seek(prefix);
                it.isValid() && out.size() < limit && startsWith(it.key(), prefix);
                it.next()) {
              out.add(QueueBinary.decode(it.value()));
            }
            it.status();
          }
          return out;
        });
  }

  /** A queue's counts on this shard (zero for a queue nothing was counted for). */
  public QueueCounts queueCounts(String tenant, String name) {
    return read(
        db ->
            QueueBinary.decodeCounts(
                db.rocks.get(db.named("queues"), QueueKeys.counts(tenant, name))));
  }

  /**
   * Up to {@code limit} scoped ids of the queue's pending jobs created before {@code beforeMs},
   * oldest first.
   */
  public List<String> queuePending(String tenant, String queue, long beforeMs, int limit) {
    return read(
        db -> {
          List<String> out = new ArrayList<>();
          byte[] scope = QueueKeys.pendingScope(tenant, queue);
          byte[] end = IndexKeys.from(scope, beforeMs);
          try (RocksIterator it = db.rocks.newIterator(db.named("queue-pending"))) {
            for (it.seek(scope);
                it.isValid() && out.size() < limit && Arrays.compareUnsigned(it.key(), end) < 0;
                it.next()) {
              out.add(IndexKeys.id(scope, it.key()));
            }
            it.status();
          }
          return out;
        });
  }

  /** Moves on whenever a queue configuration may have changed. */
  public long queueGeneration() {
    return queueGeneration.get();
  }

  void queuesChanged() {
    queueGeneration.incrementAndGet();
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The destinations disabled on this shard, by host (README, "Destinations"). */
  public Map<String, DisabledDestination> disabledDestinations() {
    return read(
        db -> {
          Map<String, DisabledDestination> out = new TreeMap<>();
          try (RocksIterator it = db.rocks.newIterator(db.named("destinations"))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              String host = new String(it.key(), StandardCharsets.UTF_8);
              out.put(host, DestinationValues.decode(host, it.value()));
            }
          }
          return out;
        });
  }

  private interface DbRead<T> {
    T apply(Db db) throws RocksDBException;
  }

  private <T> T read(DbRead<T> op) {
    lock.readLock().lock();
    try {
      if (db == null) {
        throw new StoreException("store is closed", null);
      }
      return op.apply(db);
    } catch (RocksDBException e) {
      throw new StoreException("RocksDB read failed", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static Optional<StoredJob> decodeJob(byte[] bytes) {
    return bytes == null ? Optional.empty() : Optional.of(StoredValueCodec.decodeJob(bytes));
  }

  private static long readLong(byte[] v) {
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
