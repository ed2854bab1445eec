package dev.shardhook.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Destination;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    try (RecordingReceiver receiver = RecordingReceiver.start();
        ShardsBehindProxy cluster = ShardsBehindProxy.start(dir, SHARDS, b -> b.workers(8))) {
      ProxyClient client = cluster.client;
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
                DestinationList list = WireJson.mapper().readValue(r.body(), DestinationList.class);
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
      EnabledDestination e = WireJson.mapper().readValue(enabled.body(), EnabledDestination.class);
      assertThat(e.wasDisabled()).isFalse();
      assertThat(e.shards()).containsOnlyKeys(SHARDS.toArray(String[]::new));

      assertThat(client.post("/destinations/nohost:enable", "{}").statusCode()).isEqualTo(400);
      assertThat(client.post("/destinations/a.example:99999:enable", "{}").statusCode())
          .isEqualTo(400);
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
