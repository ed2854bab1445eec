package dev.shardhook.node.store;

/**
 * A time no live due-index entry is earlier than, so due scans can start there instead of walking
 * the tombstones that delivered jobs leave at the head of the index until compaction. Scans raise
 * it to the first live entry they find; writes of due entries lower it. A raise is dropped when a
 * due entry was written since the scan read the floor, because the scan may not have seen it.
 */
final class DueFloor {
  /** The floor as a scan read it, and the count of lowering writes at that moment. */
  record Reading(long atMs, long writes) {}

  private long atMs = Long.MIN_VALUE;
  private long writes;

  synchronized Reading read() {
    return new Reading(atMs, writes);
  }

  synchronized void raise(Reading seen, long firstLiveMs) {
    if (seen.writes() == writes && firstLiveMs > atMs) {
      atMs = firstLiveMs;
    }
  }

  /** Called after a batch that wrote due entries (the earliest at {@code earliestMs}) commits. */
  synchronized void lower(long earliestMs) {
    if (earliestMs == Long.MAX_VALUE) {
      return;
    }
    writes++;
    atMs = Math.min(atMs, earliestMs);
  }

  synchronized void reset() {
    atMs = Long.MIN_VALUE;
    writes++;
  }
}
