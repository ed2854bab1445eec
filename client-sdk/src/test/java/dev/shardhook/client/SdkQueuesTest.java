package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.Queue;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's queue calls against a real three-node shard (README, "Queues"). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkQueuesTest {
  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private TestShard shard;
  private ShardhookClient client;

  @BeforeAll
  void start() {
    shard = TestShard.start(dir, b -> b);
    client =
        ShardhookClient.builder()
            .endpoints(
                List.of(
                    URI.create(shard.url(0)), URI.create(shard.url(1)), URI.create(shard.url(2))))
            .build();
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (shard != null) {
      shard.close();
    }
    receiver.close();
  }

  @Test
  void aQueueIsConfiguredPausedPurgedResumedAndDeleted() {
    Queue created =
        client.putQueue(
            "sdk-q",
            QueueConfig.builder()
                .ratePerSecond(50)
                .maxConcurrency(4)
                .retry(new RetrySpec(3, null, null, null, null))
                .paused(true)
                .build());
    assertThat(created.name()).isEqualTo("sdk-q");
    assertThat(created.paused()).isTrue();
    assertThat(created.burst()).isEqualTo(50);
    assertThat(created.limits().perShard().maxConcurrency()).isEqualTo(4);
    assertThat(client.queues()).extracting(Queue::name).contains("default", "sdk-q");
    assertThat(client.queue("nothing")).isEmpty();

    Job held =
        client.submit(
            JobRequest.builder(URI.create(receiver.url("/sdk-q"))).queue("sdk-q").build());
    assertThat(held.retry().maxAttempts()).isEqualTo(3);
    assertThat(client.queue("sdk-q").orElseThrow().depth()).isEqualTo(1);
    assertThatThrownBy(() -> client.deleteQueue("sdk-q"))
        .isInstanceOf(ShardhookException.Conflict.class);
    assertThat(client.list(JobQuery.builder().queue("sdk-q").build()))
        .extracting(Job::id)
        .containsExactly(held.id());
    assertThat(client.purgeQueue("sdk-q")).isEqualTo(1);
    assertThat(client.get(held.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);

    Job later =
        client.submit(
            JobRequest.builder(URI.create(receiver.url("/sdk-q"))).queue("sdk-q").build());
    assertThat(client.pauseQueue("sdk-q").paused()).isTrue();
    assertThat(client.resumeQueue("sdk-q").paused()).isFalse();
    await("delivered after resume")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !receiver.deliveries(later.id()).isEmpty());
    await("counted")
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.queue("sdk-q").orElseThrow().delivered() == 1);

    assertThatThrownBy(
            () ->
                client.submit(
                    JobRequest.builder(URI.create(receiver.url("/x"))).queue("ghost").build()))
        .isInstanceOf(ShardhookException.InvalidJob.class)
        .hasMessageContaining("ghost");
    assertThatThrownBy(() -> client.deleteQueue("default"))
        .isInstanceOf(ShardhookException.Conflict.class);
    await("empty")
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.queue("sdk-q").orElseThrow().depth() == 0);
    client.deleteQueue("sdk-q");
    assertThat(client.queue("sdk-q")).isEmpty();
    assertThatThrownBy(() -> client.putQueue("bad name", QueueConfig.builder().build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
