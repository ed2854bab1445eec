package dev.shardhook.node.raft;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeStatus;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** This node's Ratis server and the client it submits through, for one shard's group. */
public final class RaftShard implements Closeable {
  /** Largest Raft entry the node builds; Ratis refuses entries over its appender buffer. */
  static final int MAX_ENTRY_BYTES = 4 << 20;

  private static final TimeDuration ELECTION_TIMEOUT_MIN =
      TimeDuration.valueOf(150, TimeUnit.MILLISECONDS);

  private final NodeConfig config;
  private final RaftGroup group;
  private final RaftPeerId self;
  private final RaftClient client;
  private final RaftClient readClient;
  // Identifies this node's direct proposals in the leader's retry cache; call ids never repeat.
  private final ClientId directClientId = ClientId.randomId();
  private final AtomicLong directCallIds = new AtomicLong();
  private RaftServer server;
  private volatile Lease lease = new Lease(-1, 0);

  private RaftShard(NodeConfig config) {
    this.config = config;
    List<RaftPeer> peers =
        config.peers().stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
            .toList();
    this.group = RaftGroup.valueOf(groupId(config.shardId()), peers);
    this.self = RaftPeerId.valueOf(config.nodeId());
    this.client = newClient(group);
    this.readClient = newClient(group);
  }

  /** Prepares the client; {@link #start(StateMachine)} starts the server. */
  public static RaftShard prepare(NodeConfig config) {
    return new RaftShard(config);
  }

  /** Every node of a shard derives the same group id from the shard id. */
  static RaftGroupId groupId(String shardId) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("shardhook:" + shardId).getBytes(StandardCharsets.UTF_8)));
  }

  public void start(StateMachine stateMachine) throws IOException {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve("ratis").toFile()));
    NodeConfig.Peer me = config.self();
    GrpcConfigKeys.Server.setHost(p, me.host());
    GrpcConfigKeys.Server.setPort(p, me.port());
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // Followers' ReadIndex requests are answered from the leader's lease, without a heartbeat
    // round, while a majority acknowledged it within the lease (a fraction of the election
    // timeout).
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ELECTION_TIMEOUT_MIN);
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(
        p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // Purge as often as we snapshot, so the log stays about one snapshot interval long.
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, config.snapshotThreshold()));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(
        p, SizeInBytes.valueOf(2 * MAX_ENTRY_BYTES));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(4 * MAX_ENTRY_BYTES));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.raftSegmentBytes()));
    server =
        RaftServer.newBuilder()
            .setServerId(self)
            .setGroup(group)
            .setProperties(p)
            .setStateMachine(stateMachine)
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    server.start();
  }

  private static RaftClient newClient(RaftGroup group) {
    RaftProperties cp = new RaftProperties();
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(cp, 1000);
    RaftClientConfigKeys.Rpc.setRequestTimeout(cp, TimeDuration.valueOf(10, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setProperties(cp)
        .setRaftGroup(group)
        // While a leader is being elected, the client sleeps between tries. A short cap lets a
        // request land within ~100 ms of the new leader becoming ready (a 1 s cap delayed the first
        // acceptance after a leader kill by up to a second); about 10 s of tries in all.
        .setRetryPolicy(
            ExponentialBackoffRetry.newBuilder()
                .setBaseSleepTime(TimeDuration.valueOf(20, TimeUnit.MILLISECONDS))
                .setMaxSleepTime(TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))
                .setMaxAttempts(100)
                .build())
        .build();
  }

  /**
   * Proposes a write. On the ready leader it goes straight into this node's server: through the
   * Raft client it would take a gRPC round trip to itself, which was a tenth of the leader's CPU
   * under submit load. Elsewhere, or when the direct proposal finds this node not (or no longer)
   * leading, the Raft client finds the leader. A proposal appended just before this node stepped
   * down may then commit twice; applying is idempotent for every command (an existing job id is a
   * replay, an outcome for an attempt already recorded is ignored, a second cancel finds the job
   * finished), so the second copy changes no job.
   */
  public CompletableFuture<RaftClientReply> propose(Message message) {
    RaftServer local = server;
    if (local == null || !isLeaderReady()) {
      return client.async().send(message);
    }
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(directClientId)
            .setServerId(self)
            .setGroupId(group.getGroupId())
            .setCallId(directCallIds.incrementAndGet())
            .setMessage(message)
            .setType(RaftClientRequest.writeRequestType())
            .build();
    CompletableFuture<RaftClientReply> direct;
    try {
      direct = local.submitClientRequestAsync(request);
    } catch (IOException e) {
      return client.async().send(message);
    }
    return direct
        .handle(
            (reply, error) -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (isNotLeading(cause) || (reply != null && isNotLeading(reply.getException()))) {
                return client.async().send(message);
              }
              return error != null
                  ? CompletableFuture.<RaftClientReply>failedFuture(cause)
                  : CompletableFuture.completedFuture(reply);
            })
        .thenCompose(f -> f);
  }

  private static boolean isNotLeading(Throwable t) {
    return t instanceof NotLeaderException || t instanceof LeaderNotReadyException;
  }

  /** A second client for follower reads, so they never wait in the write client's window. */
  public RaftClient readClient() {
    return readClient;
  }

  /** Whether this node leads and has applied everything committed before its term. */
  public boolean isLeaderReady() {
    return division().map(d -> d.getInfo().isLeaderReady()).orElse(false);
  }

  public RaftPeerId self() {
    return self;
  }

  private Optional<RaftServer.Division> division() {
    try {
      return server == null
          ? Optional.empty()
          : Optional.of(server.getDivision(group.getGroupId()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** True while this node leads {@code term}: checked before each delivery attempt. */
  public boolean leads(long term) {
    return division()
        .map(RaftServer.Division::getInfo)
        .map(i -> i.isLeader() && i.getCurrentTerm() == term)
        .orElse(false);
  }

  /**
   * True while this node leads {@code term} and holds its leader lease: a majority of the group
   * (this node included) acknowledged it within {@link #leaseMillis()}. Checked before each attempt
   * starts, so a leader that was frozen or cut off (and may have been replaced without knowing it)
   * starts none.
   *
   * <p>Ratis 3.3 keeps its own lease ({@code LeaderLease}) private; this is the same rule read from
   * the public role info: each follower's time since its last append reply. It is safe because a
   * follower that answered the leader within the last election-timeout minimum does not vote for
   * another candidate before that minimum has passed since it heard from the leader (Ratis
   * withholds votes while it hears from a live leader), so no other leader of a later term can
   * exist while a majority's replies are younger than a fraction of that minimum. The fraction
   * leaves room for the one-way delay of the reply and for clock-rate drift.
   */
  public boolean holdsLease(long term) {
    Optional<RaftServer.Division> d = division();
    if (d.isEmpty()
        || !d.get().getInfo().isLeader()
        || d.get().getInfo().getCurrentTerm() != term) {
      return false;
    }
    long now = System.nanoTime();
    Lease known = lease;
    if (known.term == term && now - known.untilNanos < 0) {
      return true;
    }
    // Building the role info costs; do it only when the lease last read has run out.
    RoleInfoProto role = d.get().getInfo().getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return false;
    }
    List<Long> elapsed =
        role.getLeaderInfo().getFollowerInfoList().stream()
            .map(f -> f.getLastRpcElapsedTimeMs())
            .toList();
    long left =
        leaseLeftMillis(elapsed, d.get().getRaftConf().getCurrentPeers().size(), leaseMillis());
    if (left <= 0) {
      return false;
    }
    lease = new Lease(term, now + TimeUnit.MILLISECONDS.toNanos(left));
    return true;
  }

  private record Lease(long term, long untilNanos) {}

  /**
   * How long the lease lasts from now: until the reply that completes a majority (this node counts)
   * gets older than {@code leaseMs}; 0 or less when it already has.
   */
  static long leaseLeftMillis(List<Long> followerElapsedMs, int voters, long leaseMs) {
    int needed = voters / 2; // followers besides this node for a majority
    if (needed == 0) {
      return leaseMs;
    }
    List<Long> sorted = followerElapsedMs.stream().filter(ms -> ms >= 0).sorted().toList();
    if (sorted.size() < needed) {
      return 0;
    }
    return leaseMs - sorted.get(needed - 1);
  }

  /** Whether this node and enough followers, replying within {@code leaseMs}, form a majority. */
  static boolean majorityWithin(List<Long> followerElapsedMs, int voters, long leaseMs) {
    return leaseLeftMillis(followerElapsedMs, voters, leaseMs) > 0;
  }

  /** The lease: 90% of the minimum election timeout, as Ratis's own default lease ratio. */
  static long leaseMillis() {
    return ELECTION_TIMEOUT_MIN.toLong(TimeUnit.MILLISECONDS) * 9 / 10;
  }

  /**
   * The oldest entry still in this node's Raft log; entries before it were compacted into a
   * snapshot, so a peer that needs them must install the snapshot. -1 before the server starts.
   */
  public long firstLogIndex() {
    return division().map(d -> d.getRaftLog().getStartIndex()).orElse(-1L);
  }

  /** Empty when the group has a leader that can take writes, else why not. */
  public Optional<String> notReadyReason() {
    Optional<RaftServer.Division> d = division();
    if (d.isEmpty()) {
      return Optional.of("Raft server not started");
    }
    DivisionInfo info = d.get().getInfo();
    if (info.getLeaderId() == null) {
      return Optional.of("shard has no leader (election in progress)");
    }
    if (info.isLeader() && !info.isLeaderReady()) {
      return Optional.of("leader elected but not ready yet");
    }
    return Optional.empty();
  }

  public NodeStatus status(long pending, int running) {
    Optional<RaftServer.Division> d = division();
    if (d.isEmpty()) {
      return new NodeStatus(
          config.nodeId(), config.shardId(), "UNKNOWN", null, 0, 0, pending, running, false);
    }
    DivisionInfo info = d.get().getInfo();
    RaftPeerId leader = info.getLeaderId();
    return new NodeStatus(
        config.nodeId(),
        config.shardId(),
        info.getCurrentRole().name(),
        leader == null ? null : leader.toString(),
        info.getCurrentTerm(),
        d.get().getRaftLog().getLastCommittedIndex(),
        pending,
        running,
        info.isLeaderReady());
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
      readClient.close();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }
}
