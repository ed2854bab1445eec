package dev.shardhook.node.store;

/**
 * Where a job joined its ordering key: the log index of the entry that accepted it, then its
 * position in that entry (README, "Ordering"). Every replica derives the same place from the log.
 */
public record OrderingSeq(long index, int position) implements Comparable<OrderingSeq> {
  @Override
  public int compareTo(OrderingSeq o) {
    int c = Long.compare(index, o.index);
    return c != 0 ? c : Integer.compare(position, o.position);
  }
}
