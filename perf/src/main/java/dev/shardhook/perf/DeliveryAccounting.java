package dev.shardhook.perf;

import java.util.Map;
import java.util.Set;

/**
 * Loss and duplicate accounting of a delivery run: which acknowledged jobs the sink received, how
 * often.
 *
 * @param acknowledged jobs the system acknowledged (201/200, or committed by the baseline)
 * @param delivered acknowledged jobs the sink received at least once
 * @param lost acknowledged jobs the sink never received
 * @param duplicates receipts beyond the first of any job (at-least-once delivery shows here)
 * @param unacknowledged distinct jobs the sink received that were never acknowledged (a submit
 *     whose answer was lost, e.g. in a failover); neither lost nor duplicated
 */
record DeliveryAccounting(
    long acknowledged, long delivered, long lost, long duplicates, long unacknowledged) {

  /**
   * Counts {@code acknowledged} (distinct job ids) against {@code receipts}: every {@code
   * webhook-id} the sink saw, with how many times.
   */
  static DeliveryAccounting count(Set<String> acknowledged, Map<String, Integer> receipts) {
    long delivered = 0;
    for (String id : acknowledged) {
      if (receipts.getOrDefault(id, 0) > 0) {
        delivered++;
      }
    }
    long duplicates = 0;
    long received = 0;
    for (int times : receipts.values()) {
      if (times > 0) {
        received++;
        duplicates += times - 1;
      }
    }
    long acknowledgedCount = acknowledged.size();
    return new DeliveryAccounting(
        acknowledgedCount,
        delivered,
        acknowledgedCount - delivered,
        duplicates,
        received - delivered);
  }
}
