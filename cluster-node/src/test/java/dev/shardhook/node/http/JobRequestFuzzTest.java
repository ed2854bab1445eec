package dev.shardhook.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobRules;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.delivery.TargetGuard;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.http.RequestJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A request body is the most exposed input of a node: whatever bytes arrive at {@code POST /jobs}
 * or {@code POST /jobs:batch}, reading and checking them ends in a job or in a 4xx {@link
 * ProblemException}. Any other exception would be answered 500. This runs the same steps as {@code
 * CommitJob} and {@code CommitBatch} up to the commit. Seeds: {@code
 * src/test/resources/dev/shardhook/node/http/JobRequestFuzzTestInputs}.
 */
class JobRequestFuzzTest {
  private static final String TENANT = "acme";

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private static final NodeConfig CONFIG =
      NodeConfig.builder()
          .insecureNoAuth(true)
          .nodeId("a")
          .peers("a=127.0.0.1:9200")
          .maxBodyBytes(4096)
          .maxRequestBytes(65_536)
          .attemptTimeout(Duration.ofSeconds(7))
          .build();

  /**
   * Private targets allowed: the guard then never resolves a name, so no input waits on DNS. Two
   * shards, so that ids this shard does not own (421) are reached too.
   */
  private static final JobRequestValidator VALIDATOR =
      new JobRequestValidator(CONFIG.submit(), new TargetGuard(true), CLOCK, twoShards());

  /**
   * The dictionary holds the wire field names and values the rules look at, which random mutation
   * rarely spells.
   *
   * @param input the body, optionally followed by a NUL byte and an {@code Idempotency-Key} header
   *     value (a raw NUL cannot occur in valid JSON, so seeds stay readable)
   */
  @DictionaryEntries({
    "\"url\":",
    "\"method\":",
    "\"headers\":",
    "\"body\":",
    "\"id\":",
    "\"idempotencyKey\":",
    "\"runAt\":",
    "\"delayMs\":",
    "\"timeoutMs\":",
    "\"retry\":",
    "\"maxAttempts\":",
    "\"initialBackoffMs\":",
    "\"maxBackoffMs\":",
    "\"multiplier\":",
    "\"maxRetryDurationMs\":",
    "\"https://",
    "\"http://",
    "[::1]",
    ":65536/",
    "\"2026-03-01T12:00:00Z\"",
    "\"Content-Type\"",
    "\"Authorization\"",
    "\"webhook-id\"",
    "1e308",
    "-0",
    "\\u0000",
    "\\ud800"
  })
  @FuzzTest(maxDuration = "12s")
  void requestBodiesBecomeJobsOrClientErrors(byte[] input) {
    int nul = indexOf(input, (byte) 0);
    byte[] body = nul < 0 ? input : Arrays.copyOf(input, nul);
    String keyHeader =
        nul < 0 ? null : new String(input, nul + 1, input.length - nul - 1, StandardCharsets.UTF_8);

    // POST /jobs
    try {
      checkValid(VALIDATOR.toNewJob(RequestJson.read(body, JobRequest.class), keyHeader, TENANT));
    } catch (ProblemException refused) {
      assertClientError(refused);
    }

    // POST /jobs:batch: the items of an array are judged one by one, without the header.
    JsonNode items;
    try {
      items = RequestJson.readTree(body);
    } catch (ProblemException refused) {
      assertClientError(refused);
      return;
    }
    if (items == null || !items.isArray()) {
      return;
    }
    for (JsonNode item : items) {
      try {
        checkValid(VALIDATOR.toNewJob(RequestJson.convert(item, JobRequest.class), null, TENANT));
      } catch (ProblemException refused) {
        assertClientError(refused);
      }
    }
  }

  private static void assertClientError(ProblemException refused) {
    assertThat(refused.status()).as("status of %s", refused).isBetween(400, 499);
  }

  /** What the log, the store and the dispatcher rely on in a job that passed. */
  private static void checkValid(NewJob job) {
    assertThat(JobIds.isValid(job.id())).as("id %s", job.id()).isTrue();
    assertThat(JobRules.METHODS).contains(job.method());
    assertThat(job.url()).isNotBlank();
    assertThat(job.timeoutMs()).isBetween(1L, JobRules.MAX_TIMEOUT.toMillis());
    assertThat(job.fingerprint()).isNotEmpty();
    job.headers()
        .forEach(
            (name, value) -> {
              assertThat(JobRules.isHeaderName(name)).as("header name %s", name).isTrue();
              assertThat(JobRules.isHeaderValue(value)).as("header value %s", value).isTrue();
            });
    if (job.body() != null) {
      assertThat(job.body().getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(CONFIG.maxBodyBytes());
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static ShardOwnership twoShards() {
    try {
      Path map = Files.createTempFile("fuzz-shard-map", ".json");
      map.toFile().deleteOnExit();
      Files.writeString(
          map,
          "{\"shards\": [{\"id\": \"shard-0\", \"nodes\": []}, {\"id\": \"shard-1\", \"nodes\": []}]}");
      return ShardOwnership.read(map, "shard-0");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
