package dev.shardhook.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.api.Problem;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProblemExceptionTest {
  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(new InvalidJobException("d"), 400, "invalid-job", "Invalid job request"),
        Arguments.of(
            new PayloadTooLargeException("d"), 413, "payload-too-large", "Payload too large"),
        Arguments.of(new JobNotFoundException("x"), 404, "job-not-found", "Job not found"),
        Arguments.of(
            new JobAlreadyFinishedException("x", "SUCCEEDED"),
            409,
            "job-finished",
            "Job already finished"),
        Arguments.of(
            new JobNotReplayableException("x", "SUCCEEDED"),
            409,
            "job-not-replayable",
            "Job not replayable"),
        Arguments.of(
            new MisdirectedRequestException("x", "s0", "s1"),
            421,
            "misdirected",
            "Misdirected request"),
        Arguments.of(
            new IdempotencyMismatchException("d"),
            422,
            "idempotency-mismatch",
            "Idempotency key reused with a different request"),
        Arguments.of(
            new QueueFullException(10, Duration.ofSeconds(1)), 429, "queue-full", "Queue full"),
        Arguments.of(
            new InsufficientStorageException("d"),
            507,
            "insufficient-storage",
            "Insufficient storage"),
        Arguments.of(
            new ShardUnavailableException("d", (Throwable) null),
            503,
            "shard-unavailable",
            "Shard unavailable"),
        Arguments.of(
            new CommitUnknownException("d", null), 504, "commit-unknown", "Commit not confirmed"),
        Arguments.of(new BadGatewayException("d"), 502, "bad-gateway", "Bad gateway"),
        Arguments.of(new GatewayTimeoutException("d"), 504, "gateway-timeout", "Gateway timeout"),
        Arguments.of(new BadRequestException("d"), 400, "bad-request", "Bad request"),
        Arguments.of(new RouteNotFoundException("/x"), 404, "not-found", "Not found"),
        Arguments.of(
            new MethodNotAllowedException("PUT", "GET, HEAD"),
            405,
            "method-not-allowed",
            "Method not allowed"),
        Arguments.of(
            new UnsupportedMediaTypeException("d"),
            415,
            "unsupported-media-type",
            "Unsupported media type"));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void eachKindAnswersItsStatusTypeAndTitle(
      ProblemException e, int status, String type, String title) {
    Problem p = e.toProblem("/jobs");
    assertThat(p)
        .isEqualTo(
            new Problem(
                "https://shardhook.dev/problems/" + type, title, status, e.getMessage(), "/jobs"));
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.type()).isEqualTo(type);
  }

  @Test
  void retryLaterKindsCarryRetryAfterInWholeSecondsRoundedUp() {
    assertThat(new QueueFullException(1, Duration.ofMillis(1500)).headers())
        .isEqualTo(Map.of("Retry-After", "2"));
    assertThat(new QueueFullException(1, Duration.ZERO).headers())
        .isEqualTo(Map.of("Retry-After", "1"));
    assertThat(new InsufficientStorageException("d").headers())
        .isEqualTo(Map.of("Retry-After", "30"));
  }

  @Test
  void commitUnknownForOneJobNamesItInDetailAndLocation() {
    Throwable cause = new RuntimeException("timeout");
    CommitUnknownException e = new CommitUnknownException("no commit", cause).forJob("j1");
    assertThat(e.jobId()).isEqualTo("j1");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e.getMessage())
        .isEqualTo(
            "job 'j1' may still be created: no commit; look it up at /jobs/j1 or resubmit it"
                + " with the same id");
    assertThat(e.headers()).containsEntry("Location", "/jobs/j1").containsEntry("Retry-After", "1");
    assertThat(new CommitUnknownException("no commit", cause).headers())
        .doesNotContainKey("Location");
  }

  @Test
  void methodNotAllowedListsTheAllowedMethods() {
    MethodNotAllowedException e = new MethodNotAllowedException("PUT", "DELETE, GET, HEAD");
    assertThat(e.headers()).isEqualTo(Map.of("Allow", "DELETE, GET, HEAD"));
    assertThat(e.getMessage()).isEqualTo("PUT is not allowed here; allowed: DELETE, GET, HEAD");
  }

  @Test
  void insufficientStorageKeepsItsPublicStringConstructorForRatis() throws Exception {
    // Ratis rebuilds a refusal thrown in a forwarding node's state machine by this constructor.
    Object rebuilt =
        InsufficientStorageException.class.getConstructor(String.class).newInstance("full");
    assertThat(((InsufficientStorageException) rebuilt).getMessage()).isEqualTo("full");
  }

  @Test
  void printableEscapesControlCharactersAndShortensLongText() {
    assertThat(Printable.of("a\nb")).isEqualTo("a\\u000ab");
    assertThat(Printable.of(null)).isEqualTo("null");
    assertThat(Printable.of("x".repeat(70))).isEqualTo("x".repeat(64) + "...");
  }
}
