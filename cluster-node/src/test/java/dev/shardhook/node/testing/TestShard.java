package dev.shardhook.node.testing;

import static org.awaitility.Awaitility.await;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.ShardNode;
import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.store.FreeSpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * A real three-node shard in this JVM: three {@link ShardNode}s with their own RocksDB and Raft
 * dirs under a temp dir, Raft over gRPC on loopback. Ports are picked once, so a node restarted
 * with {@link #start(int)} keeps its URL and Raft address.
 */
public final class TestShard implements AutoCloseable {
  public static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  private final List<NodeConfig> configs;
  private final ShardNode[] nodes = new ShardNode[3];
  private final IntFunction<FreeSpace> freeSpace;

  private TestShard(List<NodeConfig> configs, IntFunction<FreeSpace> freeSpace) {
    this.configs = configs;
    this.freeSpace = freeSpace;
  }

  /** Starts three nodes of shard {@code shard-t} and waits for a ready leader. */
  public static TestShard start(Path dir, UnaryOperator<NodeConfig.Builder> tune) {
    return start(dir, tune, null);
  }

  /** As {@link #start(Path, UnaryOperator)}, node {@code i}'s free disk space from the function. */
  public static TestShard start(
      Path dir, UnaryOperator<NodeConfig.Builder> tune, IntFunction<FreeSpace> freeSpace) {
    return start("shard-t", new String[] {"a", "b", "c"}, dir, tune, freeSpace);
  }

  /**
   * Starts three nodes of shard {@code shardId}, named {@code <shardId>-a} to {@code -c} so that
   * several shards can run in one JVM (Ratis keeps some per-peer-id state JVM-wide).
   */
  public static TestShard start(String shardId, Path dir, UnaryOperator<NodeConfig.Builder> tune) {
    return start(
        shardId, new String[] {shardId + "-a", shardId + "-b", shardId + "-c"}, dir, tune, null);
  }

  private static TestShard start(
      String shardId,
      String[] ids,
      Path dir,
      UnaryOperator<NodeConfig.Builder> tune,
      IntFunction<FreeSpace> freeSpace) {
    int[] ports = FreePorts.take(6);
    String peers =
        IntStream.range(0, 3)
            .mapToObj(i -> ids[i] + "=127.0.0.1:" + ports[i])
            .collect(Collectors.joining(","));
    List<NodeConfig> configs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NodeConfig.Builder b =
          NodeConfig.builder()
              .insecureNoAuth(true)
              .nodeId(ids[i])
              .shardId(shardId)
              .peers(peers)
              .httpHost("127.0.0.1")
              .httpPort(ports[3 + i])
              .dataDir(dir.resolve(ids[i]))
              .allowPrivateTargets(true)
              // Off unless a test asks: the embedded database adds to every node's start.
              .history(HistoryConfig.off())
              .shutdownGrace(Duration.ofSeconds(5));
      configs.add(tune.apply(b).build());
    }
    TestShard shard =
        new TestShard(
            configs, freeSpace != null ? freeSpace : i -> FreeSpace.of(configs.get(i).dataDir()));
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

  /** (Re)starts node {@code i} on its data dir. */
  public void start(int i) {
    try {
      nodes[i] = ShardNode.start(configs.get(i), Clock.systemUTC(), freeSpace.apply(i));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops node {@code i} as a crash would: Raft goes first, with no leadership transfer and no wait
   * for its attempts ({@link ShardNode#halt}).
   */
  public void kill(int i) {
    ShardNode n = nodes[i];
    nodes[i] = null;
    if (n != null) {
      n.halt();
    }
  }

  /** Stops node {@code i} as SIGTERM would (graceful, within its shutdown grace). */
  public void stop(int i) {
    ShardNode n = nodes[i];
    nodes[i] = null;
    if (n != null) {
      n.close();
    }
  }

  public boolean running(int i) {
    return nodes[i] != null;
  }

  public ShardNode node(int i) {
    return nodes[i];
  }

  /** {@code https://} when the nodes were given TLS files. */
  public String url(int i) {
    String scheme = configs.get(i).tls().isPresent() ? "https" : "http";
    return scheme + "://127.0.0.1:" + configs.get(i).httpPort();
  }

  /** The shard id every node was configured with. */
  public String shardId() {
    return configs.get(0).shardId();
  }

  /** Waits until a running node is the ready leader; returns its index. */
  public int awaitLeader() {
    int[] found = {-1};
    await(shardId() + " has a ready leader")
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

  /** Index of a running node that is not {@code leader}. */
  public int follower(int leader) {
    for (int i = 0; i < 3; i++) {
      if (i != leader && nodes[i] != null) {
        return i;
      }
    }
    throw new IllegalStateException("no running follower");
  }

  /** Asks the shard's leader to hand leadership to node {@code to} (Ratis leadership transfer). */
  public void transferLeadership(int to) throws IOException {
    NodeConfig any = configs.get(0);
    List<RaftPeer> peers =
        any.peers().stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
            .toList();
    RaftGroup group =
        RaftGroup.valueOf(
            RaftGroupId.valueOf(
                UUID.nameUUIDFromBytes(
                    ("shardhook:" + any.shardId()).getBytes(StandardCharsets.UTF_8))),
            peers);
    try (RaftClient client =
        RaftClient.newBuilder().setProperties(new RaftProperties()).setRaftGroup(group).build()) {
      RaftClientReply reply =
          client.admin().transferLeadership(RaftPeerId.valueOf(configs.get(to).nodeId()), 10_000);
      if (!reply.isSuccess()) {
        throw new IllegalStateException("leadership transfer failed: " + reply.getException());
      }
    }
  }

  @Override
  public void close() {
    IntStream.range(0, 3).parallel().forEach(this::stop);
  }
}
