package dev.shardhook.perf;

/**
 * What a closed-loop run measured: successful operations and their latency within the measured
 * time.
 *
 * @param system who was measured ({@code shardhook}, {@code etcd})
 * @param ok operations that succeeded (201 from Shardhook, a put from etcd)
 * @param errors operations that failed
 * @param seconds the measured time
 * @param latency latency of the successful operations
 */
record AcceptFigures(String system, long ok, long errors, double seconds, LatencyRecorder latency) {

  double opsPerSec() {
    return seconds > 0 ? ok / seconds : Double.NaN;
  }

  double p50Ms() {
    return latency.percentileMillis(50);
  }

  double p99Ms() {
    return latency.percentileMillis(99);
  }

  /** {@code {"opsPerSec","p50Ms","p99Ms",...}}, with {@code "name"} first when {@code named}. */
  ResultLine toJson(boolean named) {
    ResultLine json = ResultLine.object();
    if (named) {
      json.put("name", system);
    }
    return json.put("opsPerSec", opsPerSec(), 1)
        .put("p50Ms", p50Ms(), 3)
        .put("p99Ms", p99Ms(), 3)
        .put("p90Ms", latency.percentileMillis(90), 3)
        .put("p999Ms", latency.percentileMillis(99.9), 3)
        .put("maxMs", latency.maxMillis(), 3)
        .put("ok", ok)
        .put("errors", errors)
        .put("seconds", seconds, 3);
  }
}
