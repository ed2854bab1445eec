package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobBodiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void payloadHasExactlyTheRequestedBytesAndNeedsNoEscaping() {
    for (int size : new int[] {0, 1, 43, 512, 4096}) {
      String payload = JobBodies.payload(size);
      assertThat(payload.getBytes(StandardCharsets.UTF_8)).hasSize(size);
      assertThat(Json.quote(payload)).isEqualTo("\"" + payload + "\"");
    }
  }

  @Test
  void scheduledJobIsValidJobJson() throws Exception {
    Instant runAt = Instant.parse("2030-01-02T03:04:05.678912Z");

    JsonNode job =
        MAPPER.readTree(JobBodies.scheduledJob("http://127.0.0.1:9/never", runAt, "abc"));

    assertThat(job.get("url").asText()).isEqualTo("http://127.0.0.1:9/never");
    assertThat(job.get("runAt").asText()).isEqualTo("2030-01-02T03:04:05.678Z");
    assertThat(job.get("body").asText()).isEqualTo("abc");
  }

  @Test
  void aWebhookJobWithARunAtIsDueThen() throws Exception {
    Instant at = Instant.parse("2030-01-02T03:04:05.678Z");
    List<WebhookJob> jobs =
        WebhookJob.dueAt(List.of(new WebhookJob("a", "http://127.0.0.1:1/hook", "x")), at);

    JsonNode job = new ObjectMapper().readTree(jobs.get(0).json());

    assertThat(job.get("id").asText()).isEqualTo("a");
    assertThat(job.get("runAt").asText()).isEqualTo("2030-01-02T03:04:05.678Z");
    assertThat(job.get("body").asText()).isEqualTo("x");
    assertThat(new WebhookJob("b", "http://h/", "y").json()).doesNotContain("runAt");
  }

  @Test
  void batchIsAnArrayOfTheJobs() throws Exception {
    String a = JobBodies.immediateJob("a", "http://127.0.0.1:1/hook", "x");
    String b = JobBodies.immediateJob("b", "http://127.0.0.2:1/hook", "y");

    JsonNode batch = MAPPER.readTree(JobBodies.batch(List.of(a, b)));

    assertThat(batch.isArray()).isTrue();
    assertThat(batch.get(0).get("id").asText()).isEqualTo("a");
    assertThat(batch.get(1).get("url").asText()).isEqualTo("http://127.0.0.2:1/hook");
  }

  @Test
  void quoteEscapesControlCharacters() {
    assertThat(Json.quote("a\\b\u0001\t")).isEqualTo("\"a\\\\b\\u0001\\t\"");
  }
}
