package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueuePolicies;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader's queue gates (README, "Queues"), on a real store's configurations. */
class QueueGatesTest {
  @TempDir Path dir;
  private JobStore store;
  private QueueGates gates;

  @BeforeEach
  void open() {
    store = JobStore.open(dir);
    gates = new QueueGates(new SimpleMeterRegistry());
    gates.use(new QueuePolicies(store));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void configure(QueueConfig config) {
    try (StoreBatch batch = store.batch()) {
      batch.putQueue(config).commit();
    }
  }

  private static QueueConfig queue(Integer max, Double rate, Integer burst, boolean paused) {
    return new QueueConfig("default", "q", null, max, rate, burst, paused, null, null, 1, 1);
  }

  private static JobRecord job(String id, String queue) {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    return new JobRecord(
        id,
        "shard-0",
        JobState.PENDING,
        "http://example.com/",
        "POST",
        Map.of(),
        "{}",
        null,
        Duration.ofSeconds(1),
        RetrySettings.DEFAULTS,
        at,
        at,
        null,
        List.of(),
        0,
        null,
        queue,
        null);
  }

  @Test
  void aPausedQueueParksItsJobsUntilItIsResumed() {
    configure(queue(null, null, null, true));
    assertThat(gates.admit(job("a", "q"), 0)).isFalse();
    assertThat(gates.parked("a")).isTrue();
    gates.tidy(id -> false, 10);
    assertThat(gates.parked("a")).as("still paused").isTrue();

    configure(queue(null, null, null, false));
    gates.tidy(id -> false, 20);
    assertThat(gates.parked("a")).isFalse();
    assertThat(gates.admit(job("a", "q"), 30)).isTrue();
    assertThat(gates.running("default", "q")).isEqualTo(1);
  }

  @Test
  void concurrencyIsHeldUntilTheAttemptIsAnswered() {
    configure(queue(2, null, null, false));
    JobRecord a = job("a", "q");
    assertThat(gates.admit(a, 0)).isTrue();
    assertThat(gates.admit(job("b", "q"), 0)).isTrue();
    assertThat(gates.admit(job("c", "q"), 0)).isFalse();
    // Another queue is not held up by this one.
    assertThat(gates.admit(job("x", "default"), 0)).isTrue();

    gates.ended(a);
    gates.tidy(id -> !id.equals("a"), 1);
    assertThat(gates.parked("c")).isFalse();
    assertThat(gates.admit(job("c", "q"), 2)).isTrue();
    // A job dropped from its destination's queue gives its slot back at the next tidy.
    gates.tidy(id -> id.equals("c"), 3);
    assertThat(gates.running("default", "q")).isEqualTo(1);
  }

  @Test
  void theBucketHoldsTheBurstAndRefillsAtTheRate() {
    configure(queue(null, 10.0, 3, false));
    int admitted = 0;
    for (int i = 0; i < 10; i++) {
      if (gates.admit(job("j" + i, "q"), 0)) {
        admitted++;
      }
    }
    assertThat(admitted).as("the burst").isEqualTo(3);
    // 10 per second: one token per 100 ms.
    gates.tidy(id -> true, 250);
    long let = java.util.stream.IntStream.range(0, 10).filter(i -> !gates.parked("j" + i)).count();
    assertThat(let).as("admitted three, two let out after 250 ms").isEqualTo(5);
    assertThat(gates.admit(job("j3", "q"), 250)).isTrue();
    assertThat(gates.admit(job("j4", "q"), 250)).isTrue();
    assertThat(gates.admit(job("j5", "q"), 250)).isFalse();
  }

  @Test
  void withoutPoliciesEveryJobPasses() {
    QueueGates open = new QueueGates(new SimpleMeterRegistry());
    assertThat(open.admit(job("a", "q"), 0)).isTrue();
  }
}
