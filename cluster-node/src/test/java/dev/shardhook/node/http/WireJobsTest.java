package dev.shardhook.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.AttemptResponse;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WireJobsTest {
  @Test
  void thePublicJobCarriesEveryFieldInMilliseconds() {
    Instant created = Instant.parse("2030-01-02T03:04:05.123456789Z");
    JobRecord record =
        new JobRecord(
            "job-1",
            "shard-1",
            JobState.FAILED,
            "https://example.com/hook",
            "PUT",
            Map.of("X-A", "b"),
            "{}",
            "key-1",
            Duration.ofMillis(10_000),
            RetrySettings.ofMillis(3, 1_000, 60_000, 2.5, 120_000),
            created,
            null,
            created.plusSeconds(60),
            List.of(
                new AttemptRecord(
                    1,
                    created,
                    Duration.ofMillis(17),
                    503,
                    "HTTP 503",
                    new CapturedResponse(Map.of("content-type", "text/plain"), "busy", true)),
                new AttemptRecord(2, null, Duration.ZERO, null, "timeout")));

    assertThat(WireJobs.job(record))
        .isEqualTo(
            new Job(
                "job-1",
                "shard-1",
                JobStatus.FAILED,
                "https://example.com/hook",
                "PUT",
                Map.of("X-A", "b"),
                "{}",
                "key-1",
                10_000,
                new RetrySpec(3, 1_000L, 60_000L, 2.5, 120_000L),
                created,
                null,
                created.plusSeconds(60),
                List.of(
                    new Attempt(
                        1,
                        created,
                        17,
                        503,
                        "HTTP 503",
                        new AttemptResponse(Map.of("content-type", "text/plain"), "busy", true)),
                    new Attempt(2, null, 0, null, "timeout"))));
  }

  @Test
  void everyStateHasTheStatusOfTheSameName() {
    for (JobState state : JobState.values()) {
      assertThat(WireJobs.status(state).name()).isEqualTo(state.name());
      assertThat(WireJobs.status(state).isTerminal()).isEqualTo(state.isTerminal());
    }
  }

  @Test
  void aResolvedPolicyGoesBackOutAsItCameIn() {
    RetrySpec spec = new RetrySpec(3, 100L, 1_000L, 1.5, 0L);
    assertThat(WireJobs.retry(WireJobs.resolveRetry(spec, NodeConfig.DEFAULT_RETRY)))
        .isEqualTo(spec);
  }

  @Test
  void resolveRetryFillsMissingFieldsFromDefaults() {
    RetrySpec defaults = NodeConfig.DEFAULT_RETRY;
    assertThat(WireJobs.resolveRetry(defaults, null)).isEqualTo(RetrySettings.DEFAULTS);
    assertThat(WireJobs.resolveRetry(null, defaults)).isEqualTo(RetrySettings.DEFAULTS);
    assertThat(WireJobs.resolveRetry(new RetrySpec(null, null, null, null, null), defaults))
        .isEqualTo(RetrySettings.DEFAULTS);
    assertThat(WireJobs.resolveRetry(new RetrySpec(3, null, 10_000L, null, 60_000L), defaults))
        .isEqualTo(RetrySettings.ofMillis(3, 1_000L, 10_000L, 2.0, 60_000L));
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            new RetrySpec(0, null, null, null, null),
            "retry.maxAttempts: must be between 1 and 100"),
        Arguments.of(new RetrySpec(101, null, null, null, null), "retry.maxAttempts"),
        Arguments.of(new RetrySpec(null, 0L, null, null, null), "retry.initialBackoffMs"),
        Arguments.of(new RetrySpec(null, 86_400_001L, null, null, null), "retry.initialBackoffMs"),
        Arguments.of(new RetrySpec(null, 5_000L, 4_999L, null, null), "retry.maxBackoffMs"),
        Arguments.of(new RetrySpec(null, null, 604_800_001L, null, null), "retry.maxBackoffMs"),
        Arguments.of(new RetrySpec(null, null, null, 0.99, null), "retry.multiplier"),
        Arguments.of(new RetrySpec(null, null, null, 10.01, null), "retry.multiplier"),
        Arguments.of(new RetrySpec(null, null, null, Double.NaN, null), "retry.multiplier"),
        Arguments.of(new RetrySpec(null, null, null, null, -1L), "retry.maxRetryDurationMs"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidSpecs")
  void resolveRetryRejectsOutOfRangeFields(RetrySpec spec, String message) {
    assertThatThrownBy(() -> WireJobs.resolveRetry(spec, NodeConfig.DEFAULT_RETRY))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void resolveRetryAcceptsTheBounds() {
    RetrySpec edges = new RetrySpec(100, 86_400_000L, 604_800_000L, 10.0, 0L);
    assertThat(WireJobs.resolveRetry(edges, NodeConfig.DEFAULT_RETRY))
        .isEqualTo(RetrySettings.ofMillis(100, 86_400_000L, 604_800_000L, 10.0, 0L));
    RetrySpec low = new RetrySpec(1, 1L, 1L, 1.0, 0L);
    assertThat(WireJobs.resolveRetry(low, NodeConfig.DEFAULT_RETRY))
        .isEqualTo(RetrySettings.ofMillis(1, 1L, 1L, 1.0, 0L));
  }

  @Test
  void resolveRetryReportsAFieldNeitherSideHas() {
    assertThatThrownBy(() -> WireJobs.resolveRetry(null, new RetrySpec(3, 1_000L, null, 2.0, 0L)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessage("retry.maxBackoffMs: required");
  }
}
