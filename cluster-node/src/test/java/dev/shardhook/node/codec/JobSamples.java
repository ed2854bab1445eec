package dev.shardhook.node.codec;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.RetrySpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jobs that exercise every field of the binary formats, shared by the codec tests. */
public final class JobSamples {
  private JobSamples() {}

  /** Header order that no hash map would produce, with non-ASCII and empty values. */
  public static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Z", "last");
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("X-A", "caf\u00e9 \"quoted\" \uD83D\uDE00");
    headers.put("X-Empty", "");
    return headers;
  }

  public static RetrySpec retry() {
    return new RetrySpec(10, 1_000L, 3_600_000L, 2.5, 0L);
  }

  /** Every field set, attempts with and without status and error, instants with nanos. */
  public static Job fullJob(String body) {
    return new Job(
        "job-\u00e9",
        "shard-1",
        JobStatus.FAILED,
        "https://example.com/hook?a=1&b=\u2603",
        "PUT",
        headers(),
        body,
        "key-\u65e5\u672c",
        10_000,
        retry(),
        Instant.parse("2030-01-02T03:04:05.123456789Z"),
        Instant.parse("2030-01-02T03:05:00.000000001Z"),
        Instant.parse("2030-01-02T04:00:00.5Z"),
        List.of(
            new Attempt(1, Instant.parse("2030-01-02T03:04:06.999999999Z"), 17, 503, "HTTP 503"),
            new Attempt(2, Instant.parse("2030-01-02T03:05:00Z"), 30_000, null, "timeout"),
            new Attempt(3, null, 0, 200, null)));
  }

  /** Every nullable component null (headers and attempts then read as empty). */
  public static Job bareJob() {
    return new Job(null, null, null, null, null, null, null, null, 0, null, null, null, null, null);
  }

  /** Empty strings and a retry policy whose every field is null. */
  public static Job emptyStringsJob() {
    return new Job(
        "",
        "",
        JobStatus.PENDING,
        "",
        "",
        new LinkedHashMap<>(),
        "",
        "",
        -1,
        new RetrySpec(null, null, null, null, null),
        Instant.EPOCH,
        null,
        null,
        List.of());
  }

  /** About 200 KB of mixed ASCII and multi-byte text. */
  public static String largeBody() {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 200_000) {
      sb.append("{\"n\":")
          .append(sb.length())
          .append(",\"s\":\"caf\u00e9 \u2603 \uD83D\uDE00\"}\n");
    }
    return sb.toString();
  }
}
