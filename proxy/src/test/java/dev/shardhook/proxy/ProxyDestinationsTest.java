package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.Destination;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /destinations} and {@code :enable} through a proxy over two real shards. */
class ProxyDestinationsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> SHARDS = List.of("shard-0", "shard-1");
  private static final ShardRing RING = ShardRing.of(SHARDS);

  @TempDir Path dir;

  @Test
  void theProxyMergesEveryShardsEntryForAHostAndEnablesOnEveryShard() throws Exception {
    List<TestShard> shards = new ArrayList<>();
    try (RecordingReceiver receiver = RecordingReceiver.start()) {
      try (ExecutorService starters = Executors.newFixedThreadPool(2)) {
        List<Future<TestShard>> started = new ArrayList<>();
        for (String id : SHARDS) {
          started.add(starters.submit(() -> TestShard.start(id, dir, b -> b.workers(8))));
        }
        for (Future<TestShard> f : started) {
          shards.add(f.get());
        }
      }
      List<ShardMap.Shard> entries =
          shards.stream()
              .map(
                  s ->
                      new ShardMap.Shard(
                          s.shardId(),
                          IntStream.range(0, 3).mapToObj(i -> URI.create(s.url(i))).toList()))
              .toList();
      try (ProxyServer proxy =
          ProxyServer.start(
              ProxyConfig.builder()
                  .insecureNoAuth(true)
                  .httpHost("127.0.0.1")
                  .httpPort(0)
                  .shardMap(ShardMap.of(entries, null))
                  .statusInterval(Duration.ofMillis(200))
                  .build())) {
        ProxyClient client = ProxyClient.of(proxy);
        await("the proxy knows every leader")
            .atMost(TIMEOUT)
            .until(
                () -> {
                  for (JsonNode shard : json(client.get("/status")).get("shards")) {
                    if (shard.path("leader").isMissingNode()) {
                      return false;
                    }
                  }
                  return true;
                });
        String url = receiver.url("/hook");
        HttpUrl parsed = HttpUrl.get(url);
        String host = parsed.host() + ":" + parsed.port();
        for (String shard : SHARDS) {
          String id = idOn(shard);
          HttpResponse<String> r =
              client.post("/jobs", "{\"id\":\"" + id + "\",\"url\":\"" + url + "\"}");
          assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        await().atMost(TIMEOUT).until(() -> receiver.distinctIds() == 2);

        await("both shards list the host")
            .atMost(TIMEOUT)
            .until(
                () -> {
                  HttpResponse<String> r = client.get("/destinations");
                  if (r.statusCode() != 200) {
                    return false;
                  }
                  DestinationList list =
                      WireJson.mapper().readValue(r.body(), DestinationList.class);
                  return list.destinations().size() == 1
                      && list.destinations().getFirst().shards().size() == 2;
                });
        DestinationList list =
            WireJson.mapper().readValue(client.get("/destinations").body(), DestinationList.class);
        Destination merged = list.destinations().getFirst();
        assertThat(merged.host()).isEqualTo(host);
        assertThat(merged.state()).isEqualTo(Destination.HEALTHY);
        assertThat(merged.shards()).containsOnlyKeys(SHARDS.toArray(String[]::new));
        assertThat(merged.successRate()).isEqualTo(1.0);
        assertThat(list.partial()).isEmpty();

        HttpResponse<String> enabled = client.post("/destinations/" + host + ":enable", "{}");
        assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
        EnabledDestination e =
            WireJson.mapper().readValue(enabled.body(), EnabledDestination.class);
        assertThat(e.wasDisabled()).isFalse();
        assertThat(e.shards()).containsOnlyKeys(SHARDS.toArray(String[]::new));

        assertThat(client.post("/destinations/nohost:enable", "{}").statusCode()).isEqualTo(400);
        assertThat(client.post("/destinations/a.example:99999:enable", "{}").statusCode())
            .isEqualTo(400);
      }
    } finally {
      shards.forEach(TestShard::close);
    }
  }

  private static String idOn(String shard) {
    for (int i = 0; ; i++) {
      String id = "d-" + i;
      if (RING.shardFor(id).equals(shard)) {
        return id;
      }
    }
  }
}
