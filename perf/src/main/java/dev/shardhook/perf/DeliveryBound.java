package dev.shardhook.perf;

/** The most deliveries per second a fixed-latency receiver allows. */
final class DeliveryBound {
  private DeliveryBound() {}

  /**
   * {@code min(workers, perHost × hosts) / latency}: every attempt holds a worker (and a per-host
   * slot) for the receiver's latency. With no latency there is no bound (infinity).
   */
  static double perSecond(int workers, int perHostConcurrency, int hosts, long latencyMs) {
    if (latencyMs <= 0) {
      return Double.POSITIVE_INFINITY;
    }
    long inFlight = Math.min((long) workers, (long) perHostConcurrency * hosts);
    return inFlight * 1000.0 / latencyMs;
  }
}
