package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobList;
import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleList;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron schedules on a real three-node shard (README, "Schedules"): a schedule firing every second
 * keeps firing every second, each second once, across the loss of its leader; and the API's create,
 * idempotency, validation, list, pause, resume and delete.
 */
class ScheduleShardTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final NodeClient client = new NodeClient();
  private final RecordingReceiver receiver = RecordingReceiver.start();
  private TestShard shard;

  @AfterEach
  void stop() {
    client.close();
    if (shard != null) {
      shard.close();
    }
    receiver.close();
  }

  private String leader() {
    return shard.url(shard.awaitLeader());
  }

  private String everySecond() {
    return "{\"cron\":\"* * * * * *\",\"job\":{\"url\":\"" + receiver.url("/tick") + "\"}}";
  }

  private Schedule schedule(String id) {
    HttpResponse<String> r = client.get(leader() + "/schedules/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return NodeClient.parse(r.body(), Schedule.class);
  }

  @Test
  void aScheduleFiresEverySecondOnceAcrossALeaderKill() {
    shard = TestShard.start(dir, b -> b);
    HttpResponse<String> created = client.post(leader() + "/schedules", everySecond());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Schedule s = NodeClient.parse(created.body(), Schedule.class);
    assertThat(s.syntax()).isEqualTo("spring");
    assertThat(created.headers().firstValue("Location")).contains("/schedules/" + s.id());

    await().atMost(TIMEOUT).until(() -> schedule(s.id()).fired() >= 3);
    int old = shard.awaitLeader();
    Instant killedAt = Instant.now();
    shard.kill(old);
    // Firings go on under the new leader, including the seconds the election took.
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              Schedule now = schedule(s.id());
              return now.lastFireAt() != null && now.lastFireAt().isAfter(killedAt.plusSeconds(4));
            });
    HttpResponse<String> paused = client.post(leader() + "/schedules/" + s.id() + ":pause", "");
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    Schedule end = NodeClient.parse(paused.body(), Schedule.class);
    assertThat(end.status()).isEqualTo(Schedule.PAUSED);

    List<Long> seconds = firedSeconds(s.id());
    assertThat(new HashSet<>(seconds)).hasSameSizeAs(seconds);
    long first = seconds.getFirst();
    long last = seconds.getLast();
    assertThat(last - first + 1).as("every second fired: %s", seconds).isEqualTo(seconds.size());
    assertThat(first).isLessThan(killedAt.getEpochSecond());
    assertThat(last).isGreaterThan(killedAt.getEpochSecond() + 3);
    assertThat(end.fired()).isEqualTo(seconds.size());
    assertThat(end.missed()).isZero();
    assertThat(end.lastFireAt().getEpochSecond()).isEqualTo(last);
    HttpResponse<String> metrics = client.get(leader() + "/metrics");
    assertThat(metrics.body())
        .contains("shardhook_schedules 1.0")
        .contains("shardhook_schedule_missed_firings_total 0.0")
        .contains("shardhook_schedule_fire_lag_seconds_count")
        .containsPattern("shardhook_schedule_firings_total [1-9]");
    // The jobs are ordinary jobs: delivered to the template's URL.
    await().atMost(TIMEOUT).until(() -> receiver.distinctIds() >= seconds.size());
  }

  @Test
  void firingsMissedWhileTheWholeShardWasDownFollowTheCatchUpPolicy() {
    shard =
        TestShard.start(
            dir, b -> b.set(NodeSettings.SCHEDULE_CATCH_UP_AFTER, Duration.ofSeconds(2)));
    String url = receiver.url("/tick");
    List<String> ids = new ArrayList<>();
    for (String policy : List.of("fireOnce", "skip")) {
      String body =
          "{\"cron\":\"* * * * * *\",\"catchUp\":\""
              + policy
              + "\",\"job\":{\"url\":\""
              + url
              + "\"}}";
      HttpResponse<String> r = client.post(leader() + "/schedules", body);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      ids.add(NodeClient.parse(r.body(), Schedule.class).id());
    }
    await().atMost(TIMEOUT).until(() -> schedule(ids.get(1)).fired() >= 2);
    for (int i = 0; i < 3; i++) {
      shard.stop(i);
    }
    long down = Instant.now().getEpochSecond();
    await().pollDelay(Duration.ofSeconds(6)).atMost(TIMEOUT).until(() -> true);
    long up = Instant.now().getEpochSecond();
    java.util.stream.IntStream.range(0, 3).parallel().forEach(shard::start);
    for (String id : ids) {
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                Schedule s = schedule(id);
                return s.lastFireAt() != null && s.lastFireAt().getEpochSecond() > up + 2;
              });
      assertThat(client.post(leader() + "/schedules/" + id + ":pause", "").statusCode())
          .isEqualTo(200);
    }
    for (String id : ids) {
      Schedule s = schedule(id);
      List<Long> seconds = firedSeconds(id);
      assertThat(new HashSet<>(seconds)).hasSameSizeAs(seconds);
      long span = seconds.getLast() - seconds.getFirst() + 1;
      // Every second of the span was fired or counted missed, none both.
      assertThat(s.fired()).isEqualTo(seconds.size());
      assertThat(s.fired() + s.missed()).as("%s %s", s.catchUp(), seconds).isEqualTo(span);
      // The seconds the shard was down (less the grace) are missed.
      assertThat(s.missed())
          .as("%s %s", s.catchUp(), seconds)
          .isGreaterThanOrEqualTo(up - down - 3);
      // Nothing ran in the outage: its seconds are missed, save the latest with fireOnce.
      long inOutage = seconds.stream().filter(t -> t > down && t < up - 2).count();
      assertThat(inOutage)
          .as("%s %s", s.catchUp(), seconds)
          .isLessThanOrEqualTo(s.catchUp().equals("skip") ? 0 : 1);
    }
  }

  private List<Long> firedSeconds(String scheduleId) {
    HttpResponse<String> r = client.get(leader() + "/jobs?limit=1000");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Long> seconds = new ArrayList<>();
    for (Job job : NodeClient.parse(r.body(), JobList.class).jobs()) {
      if (!job.id().startsWith(scheduleId + ".")) {
        continue;
      }
      seconds.add(Long.parseLong(job.id().substring(scheduleId.length() + 1)));
    }
    seconds.sort(null);
    return seconds;
  }

  @Test
  void createIsIdempotentInvalidSchedulesAre400AndPauseResumeDeleteAndListWork() {
    shard = TestShard.start(dir, b -> b);
    String base = leader();
    String body =
        "{\"cron\":\"0 9 * * 1-5\",\"timeZone\":\"Europe/Paris\",\"catchUp\":\"skip\","
            + "\"job\":{\"url\":\""
            + receiver.url("/daily")
            + "\",\"headers\":{\"X-Token\":\"secret\"}}}";
    HttpResponse<String> first = client.post(base + "/schedules", body, "Idempotency-Key", "k-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    Schedule s = NodeClient.parse(first.body(), Schedule.class);
    assertThat(s.id()).startsWith("sch_");
    assertThat(s.status()).isEqualTo(Schedule.ACTIVE);
    assertThat(s.timeZone()).isEqualTo("Europe/Paris");
    assertThat(s.syntax()).isEqualTo("unix");
    assertThat(s.job().headers()).containsEntry("X-Token", "[redacted]");
    assertThat(s.job().timeoutMs()).isNotNull();
    assertThat(s.nextFireAt()).isAfter(Instant.now());

    HttpResponse<String> again = client.post(base + "/schedules", body, "Idempotency-Key", "k-1");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(NodeClient.parse(again.body(), Schedule.class).id()).isEqualTo(s.id());
    HttpResponse<String> other =
        client.post(base + "/schedules", everySecond(), "Idempotency-Key", "k-1");
    assertThat(other.statusCode()).isEqualTo(422);

    for (String[] bad :
        new String[][] {
          {"{\"cron\":\"61 * * * *\",\"job\":{\"url\":\"http://127.0.0.1:1/\"}}", "cron"},
          {"{\"cron\":\"* * *\",\"job\":{\"url\":\"http://127.0.0.1:1/\"}}", "cron"},
          {
            "{\"cron\":\"* * * * *\",\"timeZone\":\"Mars/Base\",\"job\":{\"url\":\"http://127.0.0.1:1/\"}}",
            "timeZone"
          },
          {
            "{\"cron\":\"* * * * *\",\"endAt\":\"2020-01-01T00:00:00Z\",\"job\":{\"url\":\"http://127.0.0.1:1/\"}}",
            "endAt"
          },
          {
            "{\"cron\":\"* * * * *\",\"catchUp\":\"all\",\"job\":{\"url\":\"http://127.0.0.1:1/\"}}",
            "catchUp"
          },
          {"{\"cron\":\"* * * * *\"}", "job"},
          {"{\"cron\":\"* * * * *\",\"job\":{\"url\":\"ftp://x/\"}}", "job.url"},
          {
            "{\"cron\":\"* * * * *\",\"job\":{\"url\":\"http://127.0.0.1:1/\",\"delayMs\":5}}",
            "job"
          },
          {
            "{\"cron\":\"* * * * *\",\"job\":{\"url\":\"http://127.0.0.1:1/\",\"orderingKey\":\"k\"}}",
            "job.orderingKey"
          },
          {
            "{\"cron\":\"* * * * *\",\"job\":{\"url\":\"http://127.0.0.1:1/\",\"queue\":\"no way\"}}",
            "job.queue"
          },
        }) {
      HttpResponse<String> r = client.post(base + "/schedules", bad[0]);
      assertThat(r.statusCode()).as(bad[0] + " -> " + r.body()).isEqualTo(400);
      assertThat(NodeClient.tree(r.body()).path("detail").asText()).startsWith(bad[1]);
    }

    HttpResponse<String> paused = client.post(base + "/schedules/" + s.id() + ":pause", "");
    assertThat(NodeClient.parse(paused.body(), Schedule.class).status()).isEqualTo("paused");
    HttpResponse<String> resumed = client.post(base + "/schedules/" + s.id() + ":resume", "");
    Schedule r = NodeClient.parse(resumed.body(), Schedule.class);
    assertThat(r.status()).isEqualTo("active");
    assertThat(r.nextFireAt()).isAfter(Instant.now());
    assertThat(client.post(base + "/schedules/" + s.id() + ":explode", "").statusCode())
        .isEqualTo(404);

    Set<String> ids = new HashSet<>(List.of(s.id()));
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> c =
          client.post(base + "/schedules", everySecond().replace("* * * * * *", "0 0 1 1 *"));
      ids.add(NodeClient.parse(c.body(), Schedule.class).id());
    }
    Set<String> listed = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      // Followers answer lists too (after a ReadIndex).
      String url =
          shard.url(shard.follower(shard.awaitLeader()))
              + "/schedules?limit=2"
              + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> page = client.get(url);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      ScheduleList list = NodeClient.parse(page.body(), ScheduleList.class);
      list.schedules().forEach(x -> assertThat(listed.add(x.id())).isTrue());
      cursor = list.nextCursor();
      pages++;
    } while (cursor != null);
    assertThat(listed).isEqualTo(ids);
    assertThat(pages).isBetween(3, 4);

    assertThat(client.send("DELETE", base + "/schedules/" + s.id()).statusCode()).isEqualTo(200);
    assertThat(client.get(base + "/schedules/" + s.id()).statusCode()).isEqualTo(404);
    assertThat(client.send("DELETE", base + "/schedules/" + s.id()).statusCode()).isEqualTo(404);
    assertThat(client.get(base + "/schedules/nope").statusCode()).isEqualTo(404);
  }
}
