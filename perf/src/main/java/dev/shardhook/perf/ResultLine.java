package dev.shardhook.perf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The one-line JSON result of a scenario, keys in insertion order, e.g. {@code
 * {"scenario":"accept","opsPerSec":1234.5,"p50Ms":3.2,"p99Ms":11.04,"errors":0}}.
 */
final class ResultLine {
  private final Map<String, String> fields = new LinkedHashMap<>();

  private ResultLine(String scenario) {
    fields.put("scenario", Json.quote(scenario));
  }

  static ResultLine of(String scenario) {
    return new ResultLine(scenario);
  }

  ResultLine put(String key, long value) {
    fields.put(key, Long.toString(value));
    return this;
  }

  /** A decimal rounded to {@code decimals} places; NaN and infinities become {@code null}. */
  ResultLine put(String key, double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      fields.put(key, "null");
    } else {
      BigDecimal rounded =
          BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
      fields.put(key, rounded.scale() < 0 ? rounded.toBigInteger().toString() : rounded.toString());
    }
    return this;
  }

  ResultLine put(String key, String value) {
    fields.put(key, value == null ? "null" : Json.quote(value));
    return this;
  }

  String toJson() {
    StringJoiner out = new StringJoiner(",", "{", "}");
    fields.forEach((key, value) -> out.add(Json.quote(key) + ":" + value));
    return out.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
