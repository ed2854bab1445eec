package dev.shardhook.node.codec;

import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import java.time.Duration;
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

  public static RetrySettings retry() {
    return RetrySettings.ofMillis(10, 1_000L, 3_600_000L, 2.5, 0L);
  }

  /** Every field set, attempts with and without status and error, instants with nanos. */
  public static JobRecord fullJob(String body) {
    return new JobRecord(
        "job-\u00e9",
        "shard-1",
        JobState.FAILED,
        "https://example.com/hook?a=1&b=\u2603",
        "PUT",
        headers(),
        body,
        "key-\u65e5\u672c",
        Duration.ofMillis(10_000),
        retry(),
        Instant.parse("2030-01-02T03:04:05.123456789Z"),
        Instant.parse("2030-01-02T03:05:00.000000001Z"),
        Instant.parse("2030-01-02T04:00:00.5Z"),
        List.of(
            new AttemptRecord(
                1, Instant.parse("2030-01-02T03:04:06.999999999Z"), ms(17), 503, "HTTP 503"),
            new AttemptRecord(
                2, Instant.parse("2030-01-02T03:05:00Z"), ms(30_000), null, "timeout"),
            new AttemptRecord(3, null, Duration.ZERO, 200, null)));
  }

  /** An answer with ordered headers, non-ASCII text and a replacement character, cut. */
  public static CapturedResponse capturedResponse() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("x-request-id", "r-\u00e9");
    headers.put("retry-after", "");
    return new CapturedResponse(headers, "{\"error\":\"caf\u00e9 \uFFFD\"", true);
  }

  /** {@link #capturedJob} replayed after its three attempts: layout 3. */
  public static JobRecord replayedJob() {
    return capturedJob().replayed(Instant.parse("2030-01-03T00:00:00.5Z"));
  }

  /** {@link #replayedJob} in a named queue with an ordering key: layout 4. */
  public static JobRecord policyJob() {
    JobRecord r = replayedJob();
    return new JobRecord(
        r.id(),
        r.shardId(),
        r.state(),
        r.url(),
        r.method(),
        r.headers(),
        r.body(),
        r.idempotencyKey(),
        r.timeout(),
        r.retry(),
        r.createdAt(),
        r.nextAttemptAt(),
        r.finishedAt(),
        r.attempts(),
        r.attemptsBeforeReplay(),
        r.replayedAt(),
        "billing-éu",
        "customer:42/é");
  }

  /** {@link #fullJob} whose attempts kept an answer, an empty one, and none. */
  public static JobRecord capturedJob() {
    JobRecord full = fullJob("{}");
    return new JobRecord(
        "job-captured",
        full.shardId(),
        JobState.SUCCEEDED,
        full.url(),
        full.method(),
        full.headers(),
        full.body(),
        full.idempotencyKey(),
        full.timeout(),
        full.retry(),
        full.createdAt(),
        null,
        full.finishedAt(),
        List.of(
            new AttemptRecord(
                1,
                Instant.parse("2030-01-02T03:04:06.999999999Z"),
                ms(17),
                500,
                "HTTP 500",
                capturedResponse()),
            new AttemptRecord(
                2, Instant.parse("2030-01-02T03:05:00Z"), ms(30_000), null, "timeout", null),
            new AttemptRecord(
                3,
                Instant.parse("2030-01-02T03:06:00Z"),
                ms(5),
                204,
                null,
                new CapturedResponse(Map.of(), "", false))));
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** A pending job of shard-0 due at {@code dueAt}: a JSON body, the default retry policy. */
  public static JobRecord pending(String id, String url, Duration timeout, Instant dueAt) {
    return new JobRecord(
        id,
        "shard-0",
        JobState.PENDING,
        url,
        "POST",
        Map.of(),
        "{}",
        null,
        timeout,
        RetrySettings.DEFAULTS,
        dueAt,
        dueAt,
        null,
        List.of());
  }

  /** Every nullable component null (headers and attempts then read as empty). */
  public static JobRecord bareJob() {
    return new JobRecord(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Duration.ZERO,
        RetrySettings.DEFAULTS,
        null,
        null,
        null,
        null);
  }

  /** Empty strings, a negative timeout and extreme policy values. */
  public static JobRecord emptyStringsJob() {
    return new JobRecord(
        "",
        "",
        JobState.PENDING,
        "",
        "",
        new LinkedHashMap<>(),
        "",
        "",
        Duration.ofMillis(-1),
        RetrySettings.ofMillis(0, Long.MIN_VALUE, Long.MAX_VALUE, Double.NaN, -1),
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
