package dev.shardhook.perf;

import java.util.Collection;
import java.util.Map;

/**
 * How long a shard took to work again after its leader was killed: the first job accepted on that
 * shard and the first delivery of one of its jobs, both after the kill.
 */
final class ResumeTimes {
  /**
   * A job acknowledged by the entry: its shard, when the answered request was sent and answered.
   */
  record Accepted(String id, String shard, long sentNanos, long answeredNanos) {}

  /** A webhook request that reached the sink, when it arrived. */
  record Receipt(String id, long arrivedNanos) {}

  /**
   * Seconds from the kill to the first acceptance and to the first delivery on the shard; NaN when
   * it never happened.
   */
  record Resume(double acceptSeconds, double deliverySeconds) {
    /** The later of the two: the shard accepts and delivers again. */
    double seconds() {
      if (Double.isNaN(acceptSeconds) || Double.isNaN(deliverySeconds)) {
        return Double.NaN;
      }
      return Math.max(acceptSeconds, deliverySeconds);
    }
  }

  private ResumeTimes() {}

  /**
   * Resume times of {@code shard} after a kill signal sent at {@code killNanos}, whose process was
   * seen dead at {@code deadNanos}. Only requests sent after the process was dead count as accepted
   * after the kill (an answer already on its way from the old leader is not a resumption), and only
   * webhooks that arrived after it as deliveries (the old leader can send nothing once dead).
   *
   * @param shardOf the shard of each acknowledged job id
   */
  static Resume after(
      long killNanos,
      long deadNanos,
      String shard,
      Collection<Accepted> accepted,
      Collection<Receipt> receipts,
      Map<String, String> shardOf) {
    long firstAccept = Long.MAX_VALUE;
    for (Accepted a : accepted) {
      if (shard.equals(a.shard()) && a.sentNanos() > deadNanos) {
        firstAccept = Math.min(firstAccept, a.answeredNanos());
      }
    }
    long firstDelivery = Long.MAX_VALUE;
    for (Receipt r : receipts) {
      if (r.arrivedNanos() > deadNanos && shard.equals(shardOf.get(r.id()))) {
        firstDelivery = Math.min(firstDelivery, r.arrivedNanos());
      }
    }
    return new Resume(seconds(killNanos, firstAccept), seconds(killNanos, firstDelivery));
  }

  private static double seconds(long from, long to) {
    return to == Long.MAX_VALUE ? Double.NaN : (to - from) / 1e9;
  }
}
