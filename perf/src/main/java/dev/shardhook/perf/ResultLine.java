package dev.shardhook.perf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A JSON object written on one line, keys in insertion order, e.g. {@code
 * {"scenario":"accept","shardhook":{"opsPerSec":1234.5,"p50Ms":3.2},"baseline":null}}. A scenario's
 * result starts with {@link #of}; nested objects start with {@link #object}.
 */
final class ResultLine {
  private final Map<String, String> fields = new LinkedHashMap<>();

  private ResultLine() {}

  /** A result whose first key is {@code "scenario"}. */
  static ResultLine of(String scenario) {
    return new ResultLine().put("scenario", scenario);
  }

  /** An empty object, for nesting. */
  static ResultLine object() {
    return new ResultLine();
  }

  ResultLine put(String key, long value) {
    fields.put(key, Long.toString(value));
    return this;
  }

  /** A decimal rounded to {@code decimals} places; NaN and infinities become {@code null}. */
  ResultLine put(String key, double value, int decimals) {
    fields.put(key, decimal(value, decimals));
    return this;
  }

  ResultLine put(String key, String value) {
    fields.put(key, value == null ? "null" : Json.quote(value));
    return this;
  }

  ResultLine put(String key, boolean value) {
    fields.put(key, Boolean.toString(value));
    return this;
  }

  /** A nested object, or {@code null}. */
  ResultLine put(String key, ResultLine value) {
    fields.put(key, value == null ? "null" : value.toJson());
    return this;
  }

  /** An array of objects. */
  ResultLine putObjects(String key, List<ResultLine> values) {
    StringJoiner out = new StringJoiner(",", "[", "]");
    values.forEach(v -> out.add(v.toJson()));
    fields.put(key, out.toString());
    return this;
  }

  /** An array of decimals, each rounded like {@link #put(String, double, int)}. */
  ResultLine putNumbers(String key, List<Double> values, int decimals) {
    StringJoiner out = new StringJoiner(",", "[", "]");
    values.forEach(v -> out.add(decimal(v, decimals)));
    fields.put(key, out.toString());
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

  private static String decimal(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    BigDecimal rounded =
        BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.toBigInteger().toString() : rounded.toString();
  }
}
