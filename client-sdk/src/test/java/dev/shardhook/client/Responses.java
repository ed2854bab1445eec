package dev.shardhook.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.Problem;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.WireJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;

/** Canned shard answers for {@code MockWebServer}. */
final class Responses {
  static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");

  private Responses() {}

  static Job job(String id, JobStatus status) {
    return new Job(
        id,
        "shard-0",
        status,
        "https://example.com/hook",
        "POST",
        Map.of(),
        null,
        null,
        10_000,
        new RetrySpec(5, 1_000L, 60_000L, 2.0, 0L),
        CREATED,
        status.isTerminal() ? null : CREATED,
        status.isTerminal() ? CREATED : null,
        List.of());
  }

  static MockResponse json(int code, Object body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(write(body))
        .build();
  }

  static MockResponse jobResponse(int code, String id, JobStatus status) {
    return json(code, job(id, status));
  }

  static MockResponse problem(int code, String type, String title, String detail) {
    return problem(code, type, title, detail, null);
  }

  static MockResponse problem(int code, String type, String title, String detail, String retry) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(code)
            .addHeader("Content-Type", "application/problem+json")
            .body(
                write(
                    new Problem(
                        "https://shardhook.dev/problems/" + type, title, code, detail, "/jobs")));
    if (retry != null) {
      b.addHeader("Retry-After", retry);
    }
    return b.build();
  }

  static String write(Object value) {
    try {
      return WireJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
