package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Real three-node shards on loopback behind a real proxy without API keys, once the proxy knows
 * every shard's leader: the set-up of the tests that go through the proxy. Closing it stops them
 * all.
 */
final class ShardsBehindProxy implements AutoCloseable {
  private static final Duration LEADERS = Duration.ofSeconds(60);

  final List<TestShard> shards;
  final ProxyServer proxy;
  final ProxyClient client;

  private ShardsBehindProxy(List<TestShard> shards, ProxyServer proxy) {
    this.shards = shards;
    this.proxy = proxy;
    this.client = ProxyClient.of(proxy);
  }

  /**
   * @param tune each node's configuration
   */
  static ShardsBehindProxy start(
      Path dir, List<String> shardIds, UnaryOperator<NodeConfig.Builder> tune) throws Exception {
    List<TestShard> shards = new ArrayList<>();
    ProxyServer proxy = null;
    try {
      // On threads of our own: waiting for leaders on common-pool workers starves the Raft nodes.
      try (ExecutorService starters = Executors.newFixedThreadPool(shardIds.size())) {
        List<Future<TestShard>> started = new ArrayList<>();
        for (String id : shardIds) {
          started.add(starters.submit(() -> TestShard.start(id, dir, tune)));
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
      proxy =
          ProxyServer.start(
              ProxyConfig.builder()
                  .insecureNoAuth(true)
                  .httpHost("127.0.0.1")
                  .httpPort(0)
                  .shardMap(ShardMap.of(entries, null))
                  .statusInterval(Duration.ofMillis(200))
                  .build());
      ShardsBehindProxy started = new ShardsBehindProxy(shards, proxy);
      started.awaitLeaders();
      return started;
    } catch (Exception | Error e) {
      if (proxy != null) {
        proxy.close();
      }
      shards.forEach(TestShard::close);
      throw e;
    }
  }

  private void awaitLeaders() {
    await("the proxy knows every leader")
        .atMost(LEADERS)
        .until(
            () -> {
              for (JsonNode shard : json(client.get("/status")).get("shards")) {
                if (shard.path("leader").isMissingNode()) {
                  return false;
                }
              }
              return true;
            });
  }

  @Override
  public void close() {
    proxy.close();
    shards.forEach(TestShard::close);
  }
}
