package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.JobRequest;
import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleRequest;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's schedule calls against a real three-node shard (README, "Schedules"). */
class SdkSchedulesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final RecordingReceiver receiver = RecordingReceiver.start();
  private TestShard shard;
  private ShardhookClient client;

  @AfterEach
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
  void createFireListPauseResumeAndDeleteASchedule() {
    shard = TestShard.start(dir, b -> b);
    client =
        ShardhookClient.builder()
            .endpoints(
                List.of(
                    URI.create(shard.url(0)), URI.create(shard.url(1)), URI.create(shard.url(2))))
            .build();
    ScheduleRequest request =
        ScheduleRequest.builder(
                "* * * * * *", JobRequest.builder(URI.create(receiver.url("/tick"))).build())
            .timeZone("Europe/Paris")
            .catchUp(ScheduleRequest.SKIP)
            .endAt(Instant.now().plus(Duration.ofHours(1)))
            .build();
    Schedule created = client.createSchedule(request, "every-second");
    assertThat(created.id()).startsWith("sch_");
    assertThat(created.catchUp()).isEqualTo("skip");
    assertThat(client.createSchedule(request, "every-second").id()).isEqualTo(created.id());

    await()
        .atMost(TIMEOUT)
        .until(() -> client.schedule(created.id()).orElseThrow().lastFireAt() != null);
    Schedule fired = client.schedule(created.id()).orElseThrow();
    String jobId = created.id() + "." + fired.lastFireAt().getEpochSecond();
    assertThat(client.get(jobId)).isPresent();

    assertThat(client.pauseSchedule(created.id()).status()).isEqualTo(Schedule.PAUSED);
    assertThat(client.resumeSchedule(created.id()).status()).isEqualTo(Schedule.ACTIVE);
    assertThat(client.schedules()).extracting(Schedule::id).contains(created.id());
    assertThat(client.deleteSchedule(created.id()).id()).isEqualTo(created.id());
    assertThat(client.schedule(created.id())).isEmpty();

    ScheduleRequest bad =
        ScheduleRequest.builder(
                "99 * * * *", JobRequest.builder(URI.create(receiver.url("/x"))).build())
            .build();
    assertThatThrownBy(() -> client.createSchedule(bad))
        .isInstanceOf(ShardhookException.InvalidJob.class)
        .hasMessageContaining("cron");
    assertThatThrownBy(
            () ->
                ScheduleRequest.builder("* * * * *", request.job())
                    .timeZone("Nowhere/City")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timeZone");
  }
}
