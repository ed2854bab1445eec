package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleList;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.ScheduleIds;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules through a proxy over two real shards (README, "Schedules"): a create lands on the shard
 * of its key-derived id, the list merges both shards page by page, the routes on one schedule find
 * it, and the jobs it fires are found by id where the schedule lives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxySchedulesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> SHARDS = List.of("shard-0", "shard-1");
  private static final ShardRing RING = ShardRing.of(SHARDS);

  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private ShardsBehindProxy cluster;
  private List<TestShard> shards;
  private ProxyServer proxy;
  private ProxyClient client;

  @BeforeAll
  void start() throws Exception {
    cluster = ShardsBehindProxy.start(dir, SHARDS, b -> b);
    shards = cluster.shards;
    proxy = cluster.proxy;
    client = cluster.client;
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    receiver.close();
  }

  private static <T> T parse(HttpResponse<String> r, Class<T> type) throws Exception {
    return WireJson.mapper().readValue(r.body(), type);
  }

  /** A key whose schedule id the ring places on {@code shard}. */
  private static String keyOn(String shard, String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + "-" + i;
      if (RING.shardFor(ScheduleIds.fromIdempotencyKey(JobIds.DEFAULT_TENANT, key)).equals(shard)) {
        return key;
      }
    }
  }

  @Test
  void schedulesLandOnTheirShardAndListAcrossShards() throws Exception {
    String yearly = "{\"cron\":\"0 0 1 1 *\",\"job\":{\"url\":\"" + receiver.url("/y") + "\"}}";
    Set<String> ids = new HashSet<>();
    for (String shard : SHARDS) {
      for (int i = 0; i < 3; i++) {
        String key = keyOn(shard, "yearly-" + shard + "-" + i);
        HttpResponse<String> r = client.post("/schedules", yearly, "Idempotency-Key", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Schedule s = parse(r, Schedule.class);
        assertThat(s.id()).isEqualTo(ScheduleIds.fromIdempotencyKey(JobIds.DEFAULT_TENANT, key));
        assertThat(RING.shardFor(s.id())).isEqualTo(shard);
        ids.add(s.id());
      }
    }
    // Without a key the proxy draws one: the schedule still lands where its id says.
    HttpResponse<String> keyless = client.post("/schedules", yearly);
    assertThat(keyless.statusCode()).as(keyless.body()).isEqualTo(201);
    ids.add(parse(keyless, Schedule.class).id());

    Set<String> listed = new HashSet<>();
    String cursor = null;
    do {
      HttpResponse<String> page =
          client.get("/schedules?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      ScheduleList list = parse(page, ScheduleList.class);
      assertThat(list.schedules()).hasSizeLessThanOrEqualTo(3);
      assertThat(list.partial()).isEmpty();
      list.schedules().forEach(s -> assertThat(listed.add(s.id())).as(s.id()).isTrue());
      cursor = list.nextCursor();
    } while (cursor != null);
    assertThat(listed).containsAll(ids);

    String one = ids.iterator().next();
    assertThat(client.get("/schedules/" + one).statusCode()).isEqualTo(200);
    HttpResponse<String> paused = client.post("/schedules/" + one + ":pause", "");
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    assertThat(parse(paused, Schedule.class).status()).isEqualTo(Schedule.PAUSED);
    HttpResponse<String> resumed = client.post("/schedules/" + one + ":resume", "");
    assertThat(parse(resumed, Schedule.class).status()).isEqualTo(Schedule.ACTIVE);
    assertThat(client.delete("/schedules/" + one).statusCode()).isEqualTo(200);
    assertThat(client.get("/schedules/" + one).statusCode()).isEqualTo(404);
  }

  @Test
  void aFiredJobIsFoundByIdThroughTheProxyOnItsSchedulesShard() throws Exception {
    String body = "{\"cron\":\"* * * * * *\",\"job\":{\"url\":\"" + receiver.url("/tick") + "\"}}";
    String key = keyOn("shard-1", "ticking");
    HttpResponse<String> created = client.post("/schedules", body, "Idempotency-Key", key);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = parse(created, Schedule.class).id();
    HttpResponse<String> again = client.post("/schedules", body, "Idempotency-Key", key);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");

    await()
        .atMost(TIMEOUT)
        .until(() -> parse(client.get("/schedules/" + id), Schedule.class).lastFireAt() != null);
    Schedule s = parse(client.get("/schedules/" + id), Schedule.class);
    String jobId = id + "." + s.lastFireAt().getEpochSecond();
    HttpResponse<String> job = client.get("/jobs/" + jobId);
    assertThat(job.statusCode()).as(job.body()).isEqualTo(200);
    assertThat(json(job).get("shardId").asText()).isEqualTo("shard-1");
    assertThat(client.delete("/schedules/" + id).statusCode()).isEqualTo(200);
  }
}
