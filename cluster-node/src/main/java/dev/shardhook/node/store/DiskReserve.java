package dev.shardhook.node.store;

import dev.shardhook.api.problem.InsufficientStorageException;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new jobs while the data disk has less than a minimum of usable space, well before RocksDB
 * or the Raft log would fail a write (which would stop apply on every replica). The reading is
 * cached for a second: submissions ask on every entry.
 */
public final class DiskReserve {
  private static final Logger LOG = LoggerFactory.getLogger(DiskReserve.class);
  private static final long CACHE_MS = 1_000;

  private final FreeSpace freeSpace;
  private final long minFreeBytes;
  private final Clock clock;
  private long checkedAtMs = Long.MIN_VALUE;
  private long usable = Long.MAX_VALUE;

  public DiskReserve(FreeSpace freeSpace, long minFreeBytes, Clock clock) {
    this.freeSpace = freeSpace;
    this.minFreeBytes = minFreeBytes;
    this.clock = clock;
  }

  /**
   * @throws InsufficientStorageException when usable space is under the minimum
   */
  public void requireRoom() {
    long free = usableBytes();
    if (free < minFreeBytes) {
      throw new InsufficientStorageException(
          "the node's data disk has "
              + free
              + " bytes free, under its minimum of "
              + minFreeBytes
              + "; new jobs are refused until finished jobs are purged or space is added");
    }
  }

  private synchronized long usableBytes() {
    long now = clock.millis();
    if (checkedAtMs == Long.MIN_VALUE || now - checkedAtMs >= CACHE_MS || now < checkedAtMs) {
      try {
        usable = freeSpace.usableBytes();
      } catch (IOException | RuntimeException e) {
        // Unknown is not full: refusing every job because a statfs failed would be worse.
        LOG.warn("cannot read the data disk's free space; admitting jobs", e);
        usable = Long.MAX_VALUE;
      }
      checkedAtMs = now;
    }
    return usable;
  }
}
