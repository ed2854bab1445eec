package dev.shardhook.proxy;

import static org.awaitility.Awaitility.await;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.ShardNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A real three-node shard in this JVM (the idea of cluster-node's own test fixture): three {@link
 * ShardNode}s with their own RocksDB and Raft dirs, Raft over gRPC on loopback. Ports are picked
 * once, so a node restarted with {@link #start(int)} keeps its URL.
 */
final class TestShard implements AutoCloseable {
  static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  private final String id;
  private final List<NodeConfig> configs;
  private final ShardNode[] nodes = new ShardNode[3];

  private TestShard(String id, List<NodeConfig> configs) {
    this.id = id;
    this.configs = configs;
  }

  /** Starts three nodes of shard {@code id} under {@code dir} and waits for a ready leader. */
  static TestShard start(String id, Path dir) {
    int[] ports = freePorts(6);
    // Node ids unique across shards: Ratis keeps some per-peer-id state JVM-wide.
    String[] ids = {id + "-a", id + "-b", id + "-c"};
    String peers =
        ids[0]
            + "=127.0.0.1:"
            + ports[0]
            + ","
            + ids[1]
            + "=127.0.0.1:"
            + ports[1]
            + ","
            + ids[2]
            + "=127.0.0.1:"
            + ports[2];
    List<NodeConfig> configs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      configs.add(
          NodeConfig.builder()
              .nodeId(ids[i])
              .shardId(id)
              .peers(peers)
              .httpHost("127.0.0.1")
              .httpPort(ports[3 + i])
              .dataDir(dir.resolve(ids[i]))
              .allowPrivateTargets(true)
              .workers(16)
              .shutdownGrace(Duration.ofSeconds(2))
              .build());
    }
    TestShard shard = new TestShard(id, configs);
    try {
      // In parallel: each start blocks only briefly, but three in a row add up on two cores.
      IntStream.range(0, 3).parallel().forEach(shard::start);
      shard.awaitLeader();
    } catch (RuntimeException e) {
      shard.close();
      throw e;
    }
    return shard;
  }

  String id() {
    return id;
  }

  /** (Re)starts node {@code i} on its data dir. */
  void start(int i) {
    try {
      nodes[i] = ShardNode.start(configs.get(i));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops node {@code i} as SIGTERM would. */
  void stop(int i) {
    ShardNode n = nodes[i];
    nodes[i] = null;
    if (n != null) {
      n.close();
    }
  }

  String url(int i) {
    return "http://127.0.0.1:" + configs.get(i).httpPort();
  }

  /** The shard as a shard map lists it. */
  ShardMap.Shard asMapEntry() {
    return new ShardMap.Shard(id, IntStream.range(0, 3).mapToObj(i -> URI.create(url(i))).toList());
  }

  /** Waits until a running node is the ready leader; returns its index. */
  int awaitLeader() {
    int[] found = {-1};
    await(id + " has a ready leader")
        .atMost(LEADER_TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              for (int i = 0; i < 3; i++) {
                if (nodes[i] != null && nodes[i].status().leaderReady()) {
                  found[0] = i;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  @Override
  public void close() {
    IntStream.range(0, 3).parallel().forEach(this::stop);
  }

  private static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is free either way
        }
      }
    }
  }
}
