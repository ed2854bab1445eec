package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.delivery.RetryPolicy.RetryDecision;
import dev.shardhook.node.delivery.RetryPolicy.RetryDecision.Kind;
import dev.shardhook.node.job.AttemptOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {
  private static final RetrySpec DEFAULTS = NodeConfig.DEFAULT_RETRY;
  private static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");
  private static final Instant STARTED = CREATED.plusSeconds(5);

  private static AttemptOutcome outcome(int attempt, Integer status) {
    return outcome(attempt, status, null, false);
  }

  private static AttemptOutcome outcome(
      int attempt, Integer status, Long retryAfterMs, boolean permanent) {
    return new AttemptOutcome(
        "job-1",
        attempt,
        STARTED,
        250,
        status,
        status == null ? "timeout" : null,
        retryAfterMs,
        permanent);
  }

  static Stream<Arguments> classification() {
    return Stream.of(
        Arguments.of(200, Kind.SUCCEEDED),
        Arguments.of(201, Kind.SUCCEEDED),
        Arguments.of(204, Kind.SUCCEEDED),
        Arguments.of(299, Kind.SUCCEEDED),
        Arguments.of(null, Kind.RETRY),
        Arguments.of(408, Kind.RETRY),
        Arguments.of(425, Kind.RETRY),
        Arguments.of(429, Kind.RETRY),
        Arguments.of(500, Kind.RETRY),
        Arguments.of(502, Kind.RETRY),
        Arguments.of(503, Kind.RETRY),
        Arguments.of(504, Kind.RETRY),
        Arguments.of(599, Kind.RETRY),
        Arguments.of(101, Kind.FAILED),
        Arguments.of(301, Kind.FAILED),
        Arguments.of(302, Kind.FAILED),
        Arguments.of(304, Kind.FAILED),
        Arguments.of(400, Kind.FAILED),
        Arguments.of(401, Kind.FAILED),
        Arguments.of(403, Kind.FAILED),
        Arguments.of(404, Kind.FAILED),
        Arguments.of(409, Kind.FAILED),
        Arguments.of(410, Kind.FAILED),
        Arguments.of(422, Kind.FAILED));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("classification")
  void classifiesStatus(Integer status, Kind expected) {
    RetryDecision d = RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, status), 0.5);
    assertThat(d.kind()).isEqualTo(expected);
    assertThat(d.nextAttemptAt() != null).isEqualTo(expected == Kind.RETRY);
  }

  @Test
  void permanentOutcomeFailsAtOnceButSuccessStillWins() {
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, null, null, true), 0.5).kind())
        .isEqualTo(Kind.FAILED);
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, 503, null, true), 0.5).kind())
        .isEqualTo(Kind.FAILED);
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, 200, null, true), 0.5).kind())
        .isEqualTo(Kind.SUCCEEDED);
  }

  @Test
  void backoffGrowsByMultiplierFromTheEndOfTheAttempt() {
    Instant now = STARTED.plusMillis(250);
    // jitter 0 picks the floor: a tenth of the exponential value
    long[] expectedAtZero = {100, 200, 400, 800, 1600, 3200};
    for (int n = 1; n <= expectedAtZero.length; n++) {
      RetryDecision d = RetryPolicy.decide(DEFAULTS, CREATED, outcome(n, 500), 0.0);
      assertThat(d.nextAttemptAt()).isEqualTo(now.plusMillis(expectedAtZero[n - 1]));
    }
    // jitter 0.5: 0.1 + 0.9 * 0.5 = 0.55 of it
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, outcome(3, null), 0.5).nextAttemptAt())
        .isEqualTo(now.plusMillis(2200));
    // jitter at the top of its range: the whole exponential value
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, outcome(3, null), 1.0).nextAttemptAt())
        .isEqualTo(now.plusMillis(4000));
  }

  @Test
  void backoffIsCappedAtMaxBackoff() {
    Instant now = STARTED.plusMillis(250);
    RetrySpec policy = new RetrySpec(100, 1_000L, 3_600_000L, 2.0, 0L);
    // 1 s * 2^12 = 4096 s > 1 h
    assertThat(RetryPolicy.decide(policy, CREATED, outcome(13, 503), 1.0).nextAttemptAt())
        .isEqualTo(now.plusMillis(3_600_000));
    assertThat(RetryPolicy.decide(policy, CREATED, outcome(99, 503), 0.0).nextAttemptAt())
        .isEqualTo(now.plusMillis(360_000));
  }

  @Test
  void jitterStaysWithinTenthAndWholeOfTheExponentialValue() {
    for (double j = 0; j < 1; j += 0.01) {
      long delay = RetryPolicy.backoffMs(DEFAULTS, 4, j);
      assertThat(delay).isBetween(800L, 8000L);
    }
    assertThat(RetryPolicy.backoffMs(DEFAULTS, 4, Double.NaN)).isEqualTo(800);
    assertThat(RetryPolicy.backoffMs(DEFAULTS, 4, -3)).isEqualTo(800);
  }

  @Test
  void retryAfterReplacesBackoffOn429And503() {
    Instant now = STARTED.plusMillis(250);
    assertThat(
            RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, 503, 30_000L, false), 0.0)
                .nextAttemptAt())
        .isEqualTo(now.plusMillis(30_000));
    assertThat(
            RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, 429, 0L, false), 0.9).nextAttemptAt())
        .isEqualTo(now);
    // ignored on other statuses
    assertThat(
            RetryPolicy.decide(DEFAULTS, CREATED, outcome(1, 500, 30_000L, false), 0.0)
                .nextAttemptAt())
        .isEqualTo(now.plusMillis(100));
  }

  @Test
  void retryAfterIsCappedAtFourMaxBackoffsAndOneDay() {
    Instant now = STARTED.plusMillis(250);
    long tenDays = Duration.ofDays(10).toMillis();
    RetrySpec shortCap = new RetrySpec(10, 1_000L, 60_000L, 2.0, 0L);
    assertThat(
            RetryPolicy.decide(shortCap, CREATED, outcome(1, 429, tenDays, false), 0.0)
                .nextAttemptAt())
        .isEqualTo(now.plusMillis(240_000));
    RetrySpec longCap = new RetrySpec(10, 1_000L, Duration.ofHours(10).toMillis(), 2.0, 0L);
    assertThat(
            RetryPolicy.decide(longCap, CREATED, outcome(1, 503, tenDays, false), 0.0)
                .nextAttemptAt())
        .isEqualTo(now.plus(Duration.ofHours(24)));
  }

  @Test
  void failsAfterMaxAttempts() {
    RetrySpec three = new RetrySpec(3, 1_000L, 60_000L, 2.0, 0L);
    assertThat(RetryPolicy.decide(three, CREATED, outcome(2, 503), 0.5).kind())
        .isEqualTo(Kind.RETRY);
    assertThat(RetryPolicy.decide(three, CREATED, outcome(3, 503), 0.5).kind())
        .isEqualTo(Kind.FAILED);
    RetrySpec once = new RetrySpec(1, 1_000L, 60_000L, 2.0, 0L);
    assertThat(RetryPolicy.decide(once, CREATED, outcome(1, null), 0.5).kind())
        .isEqualTo(Kind.FAILED);
  }

  @Test
  void failsWhenTheNextAttemptWouldPassMaxRetryDuration() {
    // created at CREATED, attempt ends at +5.25 s; the jitter-0 delay after attempt 1 is 100 ms
    RetrySpec roomy = new RetrySpec(10, 1_000L, 60_000L, 2.0, 5_350L);
    assertThat(RetryPolicy.decide(roomy, CREATED, outcome(1, 503), 0.0).kind())
        .isEqualTo(Kind.RETRY);
    RetrySpec tight = new RetrySpec(10, 1_000L, 60_000L, 2.0, 5_349L);
    assertThat(RetryPolicy.decide(tight, CREATED, outcome(1, 503), 0.0).kind())
        .isEqualTo(Kind.FAILED);
    RetrySpec unlimited = new RetrySpec(10, 1_000L, 60_000L, 2.0, 0L);
    assertThat(
            RetryPolicy.decide(unlimited, CREATED.minus(Duration.ofDays(365)), outcome(1, 503), 0)
                .kind())
        .isEqualTo(Kind.RETRY);
  }

  static Stream<Arguments> hostileInputs() {
    List<RetrySpec> policies =
        Arrays.asList(
            DEFAULTS,
            null,
            new RetrySpec(null, null, null, null, null),
            new RetrySpec(
                Integer.MAX_VALUE,
                Long.MAX_VALUE,
                Long.MAX_VALUE,
                Double.MAX_VALUE,
                Long.MAX_VALUE),
            new RetrySpec(
                Integer.MAX_VALUE, 1L, Long.MAX_VALUE, Double.POSITIVE_INFINITY, Long.MAX_VALUE),
            new RetrySpec(
                Integer.MIN_VALUE,
                Long.MIN_VALUE,
                Long.MIN_VALUE,
                -Double.MAX_VALUE,
                Long.MIN_VALUE),
            new RetrySpec(100, 0L, -1L, Double.NaN, 1L));
    List<Instant> times =
        Arrays.asList(
            Instant.MIN, Instant.MAX, Instant.EPOCH, null, RetryPolicy.LATEST_ATTEMPT_AT, CREATED);
    List<Long> longs = Arrays.asList(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE, null);
    Stream.Builder<Arguments> b = Stream.builder();
    for (RetrySpec policy : policies) {
      for (Instant created : times) {
        for (Instant started : times) {
          for (int i = 0; i < longs.size(); i++) {
            Long retryAfter = longs.get(i);
            long duration = new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 5, -1, 0}[i];
            int attempt = new int[] {Integer.MIN_VALUE, 0, 1, 99, Integer.MAX_VALUE}[i];
            Integer status = new Integer[] {429, 503, null, 500, 408}[i];
            double jitter = new double[] {Double.NaN, -1, 0.5, Double.MAX_VALUE, 1}[i];
            b.add(
                Arguments.of(
                    policy,
                    created,
                    new AttemptOutcome(
                        "job-1", attempt, started, duration, status, "x", retryAfter, false),
                    jitter));
          }
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest
  @MethodSource("hostileInputs")
  void decideIsTotalAndItsRetryTimeHasAnEpochMilliKey(
      RetrySpec policy, Instant createdAt, AttemptOutcome outcome, double jitter) {
    RetryDecision d = RetryPolicy.decide(policy, createdAt, outcome, jitter);
    assertThat(d).isNotNull();
    if (d.kind() == Kind.RETRY) {
      assertThat(d.nextAttemptAt()).isBetween(Instant.EPOCH, RetryPolicy.LATEST_ATTEMPT_AT);
      assertThat(d.nextAttemptAt().toEpochMilli()).isNotNegative();
    }
  }

  @Test
  void retryTimesSaturateInsteadOfOverflowing() {
    Instant late = RetryPolicy.LATEST_ATTEMPT_AT.minusSeconds(1);
    AttemptOutcome o = new AttemptOutcome("job-1", 1, late, Long.MAX_VALUE, 503, "x", null, false);
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, o, 0.5).nextAttemptAt())
        .isEqualTo(RetryPolicy.LATEST_ATTEMPT_AT);
    RetrySpec limited = new RetrySpec(10, 1_000L, 60_000L, 2.0, 1_000L);
    assertThat(RetryPolicy.decide(limited, Instant.MIN, outcome(1, 503), 0.5).kind())
        .isEqualTo(Kind.FAILED);
    assertThat(RetryPolicy.decide(limited, Instant.MAX, outcome(1, 503), 0.5).kind())
        .isEqualTo(Kind.RETRY);
    assertThat(RetryPolicy.millisBetween(Instant.MIN, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(RetryPolicy.millisBetween(Instant.MAX, Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    assertThat(RetryPolicy.plusMillis(Instant.MAX, Long.MAX_VALUE))
        .isEqualTo(RetryPolicy.LATEST_ATTEMPT_AT);
    assertThat(RetryPolicy.plusMillis(Instant.MIN, Long.MIN_VALUE)).isEqualTo(Instant.EPOCH);
  }

  @Test
  void decideIsDeterministic() {
    AttemptOutcome o = outcome(4, 502);
    assertThat(RetryPolicy.decide(DEFAULTS, CREATED, o, 0.37))
        .isEqualTo(RetryPolicy.decide(DEFAULTS, CREATED, o, 0.37));
  }

  @Test
  void resolveFillsMissingFieldsFromDefaults() {
    assertThat(RetryPolicy.resolve(null, DEFAULTS)).isEqualTo(DEFAULTS);
    assertThat(RetryPolicy.resolve(new RetrySpec(null, null, null, null, null), DEFAULTS))
        .isEqualTo(DEFAULTS);
    assertThat(RetryPolicy.resolve(new RetrySpec(3, null, 10_000L, null, 60_000L), DEFAULTS))
        .isEqualTo(new RetrySpec(3, 1_000L, 10_000L, 2.0, 60_000L));
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
  void resolveRejectsOutOfRangeFields(RetrySpec spec, String message) {
    assertThatThrownBy(() -> RetryPolicy.resolve(spec, DEFAULTS))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void resolveAcceptsTheBounds() {
    RetrySpec edges = new RetrySpec(100, 86_400_000L, 604_800_000L, 10.0, 0L);
    assertThat(RetryPolicy.resolve(edges, DEFAULTS)).isEqualTo(edges);
    RetrySpec low = new RetrySpec(1, 1L, 1L, 1.0, 0L);
    assertThat(RetryPolicy.resolve(low, DEFAULTS)).isEqualTo(low);
  }

  @Test
  void resolveReportsAFieldNeitherSideHas() {
    assertThatThrownBy(() -> RetryPolicy.resolve(null, new RetrySpec(3, 1_000L, null, 2.0, 0L)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessage("retry.maxBackoffMs: required");
  }
}
