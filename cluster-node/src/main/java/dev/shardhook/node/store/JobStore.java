package dev.shardhook.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's RocksDB: jobs, the due index, idempotency keys, the finished index and meta (last
 * applied term-index and pending count), always written together in one batch.
 *
 * <p>The RocksDB WAL is off: the Raft log is the write-ahead log. Flushes are atomic across column
 * families, so after a crash the database is a consistent prefix of the log and replay from the
 * stored applied index restores the rest.
 */
public final class JobStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final byte[] APPLIED = Keys.utf8("applied");
  private static final byte[] PENDING = Keys.utf8("pending");
  private static final List<String> FAMILIES =
      List.of("jobs", "due", "idempotency", "finished", "meta");

  private final Path dir;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
  private Db db;

  private record Db(
      RocksDB rocks,
      DBOptions options,
      ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles,
      ColumnFamilyHandle jobs,
      ColumnFamilyHandle due,
      ColumnFamilyHandle idempotency,
      ColumnFamilyHandle finished,
      ColumnFamilyHandle meta) {
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
    this.db = openDb(dir);
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
              .setMaxBackgroundJobs(2);
      ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
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
          handles.get(5));
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

  public long pending() {
    return read(db -> readLong(db.rocks.get(db.meta, PENDING)));
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
   * Up to {@code limit} jobs due at or before {@code nowMs}, earliest first, skipping ids {@code
   * skip} accepts; reads at most {@code maxScanned} index entries.
   */
  public List<StoredJob> due(long nowMs, int limit, int maxScanned, Predicate<String> skip) {
    return read(
        db -> {
          List<StoredJob> out = new ArrayList<>();
          byte[] upper = Keys.after(nowMs);
          try (ReadOptions ro = new ReadOptions();
              RocksIterator it = db.rocks.newIterator(db.due, ro)) {
            int scanned = 0;
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
              byte[] key = it.key();
              if (scanned++ >= maxScanned || Arrays.compareUnsigned(key, upper) >= 0) {
                break;
              }
              String id = Keys.id(key);
              if (skip.test(id)) {
                continue;
              }
              decodeJob(db.rocks.get(db.jobs, Keys.utf8(id))).ifPresent(out::add);
            }
          }
          return out;
        });
  }

  /** Whether the due index holds {@code id} at {@code atMs}: a point read, nothing decoded. */
  public boolean isDue(long atMs, String id) {
    return read(db -> db.rocks.get(db.due, Keys.timeAndId(atMs, id)) != null);
  }

  public Optional<Long> earliestDue() {
    return read(
        db -> {
          try (RocksIterator it = db.rocks.newIterator(db.due)) {
            it.seekToFirst();
            return it.isValid() ? Optional.of(Keys.time(it.key())) : Optional.empty();
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
          byte[] upper = Keys.after(nowMs);
          try (ReadOptions ro = new ReadOptions();
              RocksIterator it = db.rocks.newIterator(db.due, ro)) {
            if (after == null) {
              it.seekToFirst();
            } else {
              byte[] from = Keys.timeAndId(after.atMs(), after.id());
              it.seek(from);
              if (it.isValid() && Arrays.equals(it.key(), from)) {
                it.next();
              }
            }
            int scanned = 0;
            for (; it.isValid() && out.size() < limit && scanned < maxScanned; it.next()) {
              byte[] key = it.key();
              if (Arrays.compareUnsigned(key, upper) >= 0) {
                return new DuePage(out, last, true);
              }
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

  /** Starts an atomic group of writes. */
  public Batch batch() {
    return new Batch();
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
      db = openDb(dir);
    } catch (IOException e) {
      throw new StoreException("cannot restore RocksDB from " + source, e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
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

  private interface DbRead<T> {
    T apply(Db db) throws RocksDBException, IOException;
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static Optional<StoredJob> decodeJob(byte[] bytes) throws IOException {
    return bytes == null ? Optional.empty() : Optional.of(StoredValueCodec.decodeJob(bytes));
  }

  private static long readLong(byte[] v) {
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** One atomic write: every change of one log entry plus the applied term-index. */
  public final class Batch implements AutoCloseable {
    private final WriteBatch batch = new WriteBatch();

    private Batch() {}

    public Batch putJob(StoredJob job) {
      return put(handles().jobs, Keys.utf8(job.job().id()), StoredValueCodec.encode(job));
    }

    public Batch putDue(long atMs, String id) {
      return put(handles().due, Keys.timeAndId(atMs, id), new byte[0]);
    }

    public Batch deleteDue(long atMs, String id) {
      try {
        batch.delete(handles().due, Keys.timeAndId(atMs, id));
      } catch (RocksDBException e) {
        throw new StoreException("batch delete failed", e);
      }
      return this;
    }

    public Batch putFinished(long atMs, String id) {
      return put(handles().finished, Keys.timeAndId(atMs, id), new byte[0]);
    }

    public Batch putIdempotency(String key, IdempotencyRecord record) {
      return put(handles().idempotency, Keys.utf8(key), StoredValueCodec.encode(record));
    }

    public Batch pending(long count) {
      return put(handles().meta, PENDING, longBytes(count));
    }

    public Batch applied(long term, long index) {
      return put(
          handles().meta, APPLIED, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
    }

    /** Writes the batch atomically. */
    public void commit() {
      lock.readLock().lock();
      try {
        db.rocks.write(writeOptions, batch);
      } catch (RocksDBException e) {
        throw new StoreException("RocksDB write failed", e);
      } finally {
        lock.readLock().unlock();
      }
    }

    @Override
    public void close() {
      batch.close();
    }

    private Db handles() {
      return db;
    }

    private Batch put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
      try {
        batch.put(cf, key, value);
      } catch (RocksDBException e) {
        throw new StoreException("batch put failed", e);
      }
      return this;
    }
  }
}
