package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationsTest {
  private static final long NOW = 1_000_000;

  private final Destinations destinations =
      new Destinations(new Destinations.Limits(2, 2, 10, 100), CircuitBreakerConfig.ofDefaults());

  @Test
  void takesDestinationsInTurn() {
    for (int i = 0; i < 2; i++) {
      destinations.offer(job("a" + i, "http://a.example/x"), NOW);
      destinations.offer(job("b" + i, "http://b.example/x"), NOW);
    }

    List<String> order =
        List.of(admit(), admit(), admit(), admit()).stream().map(a -> a.job().id()).toList();

    assertThat(order).containsExactly("a0", "b0", "a1", "b1");
    assertThat(destinations.admit(NOW, 500, 10, 10)).isNull();
  }

  @Test
  void aFullQueueRemembersTheRestUntilItHasRoomAgain() {
    for (int i = 0; i < 5; i++) {
      destinations.offer(job("a" + i, "http://a.example/x"), NOW);
    }
    assertThat(destinations.queued()).isEqualTo(2);
    assertThat(destinations.holds("a4")).isTrue(); // read, not queued: left out of scans

    Destinations.Admitted first = admit();
    Destinations.Admitted second = admit();
    first.gate().finished(ok(first.job()), NOW);
    second.gate().finished(ok(second.job()), NOW);
    destinations.tidy(NOW, 0);

    // room for two again: two of the three remembered ids are read again
    long stillHeld = List.of("a2", "a3", "a4").stream().filter(destinations::holds).count();
    assertThat(stillHeld).isEqualTo(1);
  }

  @Test
  void aDestinationThatDoesNotAnswerCannotTakeTheLastWorkersBeyondItsShare() {
    Destinations many =
        new Destinations(
            new Destinations.Limits(100, 100, 100, 100), CircuitBreakerConfig.ofDefaults());
    for (int i = 0; i < 20; i++) {
      many.offer(job("dead" + i, "http://dead.example/x"), NOW);
    }
    // 8 workers, 3 free: within the reserve, and it runs more than an even share (8 / 2)
    for (int i = 0; i < 5; i++) {
      assertThat(many.admit(NOW, 500, 7 - i, 8)).isNotNull();
    }
    assertThat(many.admit(NOW, 500, 1, 8)).isNull();

    many.offer(job("healthy", "http://ok.example/x"), NOW);
    assertThat(many.admit(NOW, 500, 1, 8).job().id()).isEqualTo("healthy");
  }

  @Test
  void forgetsIdleDestinations() {
    destinations.offer(job("a0", "http://a.example/x"), NOW);
    Destinations.Admitted a = admit();
    destinations.tidy(NOW + 120_000, NOW + 60_000);
    assertThat(destinations.size()).isEqualTo(1); // still running

    a.gate().finished(ok(a.job()), NOW);
    destinations.tidy(NOW + 120_000, NOW + 60_000);
    assertThat(destinations.size()).isZero();
  }

  @Test
  void destinationsAreHostAndPort() {
    assertThat(Destinations.hostOf(job("x", "http://h.example:8080/a")))
        .isNotEqualTo(Destinations.hostOf(job("y", "http://h.example:8081/a")));
    assertThat(Destinations.hostOf(job("x", "https://h.example/a")))
        .isEqualTo(Destinations.hostOf(job("y", "https://h.example:443/b")));
  }

  private Destinations.Admitted admit() {
    Destinations.Admitted a = destinations.admit(NOW, 500, 10, 10);
    assertThat(a).isNotNull();
    return a;
  }

  private static AttemptOutcome ok(JobRecord job) {
    return new AttemptOutcome(job.id(), 1, Instant.ofEpochMilli(NOW), 5, 200, null, null, false);
  }

  private static JobRecord job(String id, String url) {
    return JobSamples.pending(id, url, Duration.ofMillis(5_000), Instant.EPOCH);
  }
}
