package dev.shardhook.node.store;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The native memory every store of this process shares (README, "Performance"): one block cache,
 * and one budget for the memtables of all column families, charged to that cache. Without it each
 * of the ~20 column families may hold two 64 MiB memtables, so a node's RSS creeps up for as long
 * as the slow families take to fill theirs; with it RSS levels off early and stays there. Flushing
 * earlier keeps durability as it was: the Raft log is the write-ahead log.
 */
final class StoreMemory {
  static final long MEMTABLE_BUDGET_BYTES = 64L << 20;
  static final long WRITE_BUFFER_BYTES = 16L << 20;
  static final long CACHE_BYTES = 128L << 20;

  private static Cache cache;
  private static WriteBufferManager writeBuffers;

  private StoreMemory() {}

  /** The shared block cache (the memtable budget is charged to it as well). */
  static synchronized Cache cache() {
    init();
    return cache;
  }

  static synchronized WriteBufferManager writeBuffers() {
    init();
    return writeBuffers;
  }

  private static void init() {
    if (cache == null) {
      RocksDB.loadLibrary();
      // Process lifetime: every store uses them until the JVM ends, so they are never closed.
      cache = new LRUCache(CACHE_BYTES);
      writeBuffers = new WriteBufferManager(MEMTABLE_BUDGET_BYTES, cache);
    }
  }
}
