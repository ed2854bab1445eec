package dev.shardhook.node.raft;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeStatus;
import dev.shardhook.support.tls.TlsIdentity;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.ExitUtils;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This node's Ratis server and the client it submits through, for one shard's group. */
public final class RaftShard implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftShard.class);

  /** Largest Raft entry the node builds; Ratis refuses entries over its appender buffer. */
  static final int MAX_ENTRY_BYTES = 4 << 20;

  // Log segments whose entries Ratis keeps on the heap (see start()).
  static final int CACHED_SEGMENTS = 2;
  static final TimeDuration ELECTION_TIMEOUT_MIN = TimeDuration.valueOf(150, TimeUnit.MILLISECONDS);

  private final RaftConfig config;
  private final RaftGroup group;
  private final RaftPeerId self;
  private final RaftClient client;
  private final RaftClient readClient;
  // Identifies this node's direct proposals in the leader's retry cache; call ids never repeat.
  private final ClientId directClientId = ClientId.randomId();
  private final AtomicLong directCallIds = new AtomicLong();
  private final ReplicaLag replicaLag;
  private RaftServer server;
  private final LeaderLease lease = new LeaderLease();
  private final Optional<TlsIdentity> tls;

  private RaftShard(RaftConfig config, Optional<TlsIdentity> tls, Clock clock) {
    this.config = config;
    this.tls = tls;
    this.replicaLag = new ReplicaLag(clock, ReplicaLag.STALL_AFTER);
    List<RaftPeer> peers =
        config.peers().stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
            .toList();
    this.group = RaftGroup.valueOf(groupId(config.shardId()), peers);
    this.self = RaftPeerId.valueOf(config.nodeId());
    this.client = newClient(group, config, tls);
    this.readClient = newClient(group, config, tls);
  }

  /** Prepares the client; {@link #start(StateMachine)} starts the server. */
  public static RaftShard prepare(RaftConfig config) {
    return prepare(config, Optional.empty());
  }

  /**
   * As {@link #prepare(RaftConfig)}; with {@code tls}, the group talks mutual TLS: the server
   * accepts only peers and clients that present a certificate signed by the CA, and this node's
   * clients and log appenders present its own.
   */
  public static RaftShard prepare(RaftConfig config, Optional<TlsIdentity> tls) {
    return new RaftShard(config, tls, Clock.systemUTC());
  }

  /** As {@link #prepare(RaftConfig)}, with the clock that times replica stalls (tests). */
  static RaftShard prepare(RaftConfig config, Clock clock) {
    return new RaftShard(config, Optional.empty(), clock);
  }

  /**
   * Ratis's gRPC TLS for the server side, its log appenders to peers and the clients: one config
   * for all (GrpcConfigKeys.TLS). The key and trust managers read the identity's current generation
   * at each handshake, so a renewed certificate applies to new connections.
   */
  private static Parameters grpcParameters(Optional<TlsIdentity> tls) {
    Parameters p = new Parameters();
    tls.ifPresent(
        t ->
            GrpcConfigKeys.TLS.setConf(
                p, new GrpcTlsConfig(t.keyManager(), t.trustManager(), true)));
    return p;
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
    // Ratis keeps up to 6 segments' entries on the heap by default (about 130 MiB live under
    // load with 32 MiB segments), which kept G1 marking all the time in a 512 MiB heap. The open
    // segment and the one before it serve followers that are near; one further behind is sent
    // entries read back from disk.
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, CACHED_SEGMENTS);
    server =
        RaftServer.newBuilder()
            .setServerId(self)
            .setGroup(group)
            .setProperties(p)
            .setParameters(grpcParameters(tls))
            .setStateMachine(stateMachine)
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    // Ratis ends the whole JVM (System.exit) when its gRPC server cannot bind; a node embedded
    // beside others, or a launcher that reports the failure, needs an exception instead.
    ExitUtils.disableSystemExit();
    try {
      server.start();
    } catch (ExitUtils.ExitException e) {
      throw new IOException(
          "Raft could not listen on " + me.host() + ":" + me.port() + ": " + e.getMessage(), e);
    }
  }

  private static RaftClient newClient(
      RaftGroup group, RaftConfig config, Optional<TlsIdentity> tls) {
    RaftProperties cp = new RaftProperties();
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(cp, 1000);
    RaftClientConfigKeys.Rpc.setRequestTimeout(cp, TimeDuration.valueOf(10, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setProperties(cp)
        .setParameters(grpcParameters(tls))
        .setRaftGroup(group)
        // While a leader is being elected, the client sleeps between tries: see
        // NodeSettings.RAFT_CLIENT_RETRY_MIN_SLEEP for why the pauses are short.
        .setRetryPolicy(
            ExponentialBackoffRetry.newBuilder()
                .setBaseSleepTime(millis(config.clientRetryMinSleep()))
                .setMaxSleepTime(millis(config.clientRetryMaxSleep()))
                .setMaxAttempts(config.clientRetryMaxAttempts())
                .build())
        .build();
  }

  private static TimeDuration millis(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Proposes a write. On the ready leader it goes straight into this node's server: through the
   * Raft client it would take a gRPC round trip to itself, which was a tenth of the leader's CPU
   * under submit load. Elsewhere, or when the direct proposal finds this node not (or no longer)
   * leading, the Raft client finds the leader. A proposal appended just before this node stepped
   * down may then commit twice; applying is idempotent for every command (an existing job id is a
   * replay, an outcome for an attempt already recorded is ignored, a second cancel finds the job
   * finished), so the second copy changes no job; a submitter learns of the resend through {@link
   * #propose(Message, Runnable)} and answers its own job as created.
   */
  public CompletableFuture<RaftClientReply> propose(Message message) {
    return propose(message, () -> {});
  }

  /**
   * As {@link #propose(Message)}; {@code onResend} runs when a direct proposal is sent again
   * through the Raft client, after which its first copy may also commit.
   */
  CompletableFuture<RaftClientReply> propose(Message message, Runnable onResend) {
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
                onResend.run();
                return client.async().send(message);
              }
              return error != null
                  ? CompletableFuture.<RaftClientReply>failedFuture(cause)
                  : CompletableFuture.completedFuture(reply);
            })
        .thenCompose(f -> f);
  }

  private static boolean isNotLeading(Throwable t) {
    // The last two answer while this node hands leadership over (shutdown): the client finds the
    // next leader instead of failing an outcome, which would make its job run again.
    return t instanceof NotLeaderException
        || t instanceof LeaderNotReadyException
        || t instanceof LeaderSteppingDownException
        || t instanceof TransferLeadershipException;
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
   * If this node leads, hands leadership to a follower and waits until another node leads: the
   * shard keeps taking writes and delivering while this node shuts down, instead of waiting an
   * election timeout after its server closed. Ratis brings the target's log up to date before it
   * asks it to start an election; followers are tried in order of how recently they answered the
   * leader (the freshest is the most caught up), each for at most {@link
   * LeadershipTransfer#TRANSFER_PER_TARGET}, and only those heard from within {@link
   * LeadershipTransfer#TRANSFER_TARGET_SILENCE} (a follower that is itself shutting down would only
   * use up the time).
   *
   * @return true if this node does not lead (any more) when it returns
   */
  public boolean transferLeadership(Duration timeout) {
    return new LeadershipTransfer(
            server,
            group.getGroupId(),
            self,
            directClientId,
            directCallIds::incrementAndGet,
            this::division,
            config.shardId())
        .run(timeout);
  }

  /**
   * True while this node leads {@code term} and holds its leader lease: a majority of the group
   * (this node included) acknowledged it within {@link LeaderLease#leaseMillis()}. Checked before
   * each attempt starts, so a leader that was frozen or cut off (and may have been replaced without
   * knowing it) starts none.
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
    return division().map(d -> lease.holds(d, term)).orElse(false);
  }

  /**
   * The oldest entry still in this node's Raft log; entries before it were compacted into a
   * snapshot, so a peer that needs them must install the snapshot. -1 before the server starts.
   */
  public long firstLogIndex() {
    return division().map(d -> d.getRaftLog().getStartIndex()).orElse(-1L);
  }

  /**
   * Empty while this node's Raft server runs and its state machine applies entries, else why not.
   * Ratis closes the server when an apply fails; nothing in the process brings it back.
   */
  public Optional<String> downReason() {
    RaftServer s = server;
    if (s == null) {
      return Optional.empty();
    }
    if (s.getLifeCycleState().isClosingOrClosed()) {
      return Optional.of("Raft server is " + s.getLifeCycleState());
    }
    Optional<RaftServer.Division> d = division();
    if (d.isEmpty()) {
      return Optional.of("Raft group " + group.getGroupId() + " is not running on this server");
    }
    if (d.get().getStateMachine() instanceof JobStateMachine sm
        && sm.stoppedBecause().isPresent()) {
      return Optional.of("state machine stopped: " + sm.stoppedBecause().get());
    }
    if (!d.get().getInfo().isAlive()) {
      return Optional.of("Raft division is " + d.get().getInfo().getLifeCycleState());
    }
    return Optional.empty();
  }

  /** Entries this replica skipped because applying them threw; see {@link JobStateMachine}. */
  public long unapplicableEntries() {
    return division()
        .map(RaftServer.Division::getStateMachine)
        .filter(JobStateMachine.class::isInstance)
        .map(sm -> ((JobStateMachine) sm).unapplicableEntries())
        .orElse(0L);
  }

  /** Empty when the group has a leader that can take writes, else why not. */
  public Optional<String> notReadyReason() {
    Optional<String> down = downReason();
    if (down.isPresent()) {
      return down;
    }
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
    ReplicaLag.Reading lag = replicaLag(d.get());
    if (lag.stalled()) {
      return Optional.of(
          String.format(
              "replica stalled: %d committed entries not applied here, no progress for %d s"
                  + " (applied index %d)",
              lag.lag(), lag.sinceProgress().toSeconds(), info.getLastAppliedIndex()));
    }
    return Optional.empty();
  }

  /** This follower's distance to its leader's commit index; nothing on a leader or candidate. */
  private ReplicaLag.Reading replicaLag(RaftServer.Division d) {
    DivisionInfo info = d.getInfo();
    RaftPeerId leader = info.getLeaderId();
    if (info.isLeader() || leader == null) {
      replicaLag.reset();
      return ReplicaLag.Reading.NONE;
    }
    long leaderCommit = -1;
    for (CommitInfoProto c : d.getCommitInfos()) {
      if (RaftPeerId.valueOf(c.getServer().getId()).equals(leader)) {
        leaderCommit = c.getCommitIndex();
      }
    }
    return replicaLag.observe(info.getLastAppliedIndex(), leaderCommit);
  }

  /**
   * On the leader, each follower's progress: its match index from the log appender, its commit
   * index from its last reply, and the entries it lacks against the leader's commit index.
   */
  private List<NodeStatus.Follower> followers(RaftServer.Division d) {
    return followers(d, d.getRaftLog().getLastCommittedIndex());
  }

  /** As {@link #followers(RaftServer.Division)}, each lag measured against {@code commit}. */
  private List<NodeStatus.Follower> followers(RaftServer.Division d, long commit) {
    DivisionInfo info = d.getInfo();
    if (!info.isLeader()) {
      return List.of();
    }
    RoleInfoProto role = info.getRoleInfoProto();
    long[] match = info.getFollowerMatchIndices();
    if (!role.hasLeaderInfo() || match == null) {
      return List.of();
    }
    // Both lists come from the leader's log appenders, in the same order; a configuration change
    // between the two calls could break that, so a length mismatch reports nothing this time.
    List<ServerRpcProto> rpc = role.getLeaderInfo().getFollowerInfoList();
    if (rpc.size() != match.length) {
      return List.of();
    }
    Map<RaftPeerId, Long> commits = new HashMap<>();
    for (CommitInfoProto c : d.getCommitInfos()) {
      commits.put(RaftPeerId.valueOf(c.getServer().getId()), c.getCommitIndex());
    }
    List<NodeStatus.Follower> out = new ArrayList<>(match.length);
    for (int i = 0; i < match.length; i++) {
      RaftPeerId id = RaftPeerId.valueOf(rpc.get(i).getId().getId());
      out.add(
          new NodeStatus.Follower(
              id.toString(),
              match[i],
              commits.getOrDefault(id, -1L),
              Math.max(0, commit - match[i]),
              rpc.get(i).getLastRpcElapsedTimeMs()));
    }
    return out;
  }

  /** On the leader, how many committed entries follower {@code id} lacks; else empty. */
  public OptionalLong followerLag(String id) {
    return division().stream()
        .flatMap(d -> followers(d).stream())
        .filter(f -> f.id().equals(id))
        .mapToLong(NodeStatus.Follower::lag)
        .findFirst();
  }

  public NodeStatus status(long pending, long stored, int running, int inFlight) {
    Optional<RaftServer.Division> d = division();
    if (d.isEmpty()) {
      return new NodeStatus(
          config.nodeId(),
          config.shardId(),
          "UNKNOWN",
          null,
          0,
          0,
          pending,
          stored,
          running,
          false,
          -1,
          0,
          false,
          List.of(),
          inFlight);
    }
    DivisionInfo info = d.get().getInfo();
    RaftPeerId leader = info.getLeaderId();
    ReplicaLag.Reading lag = replicaLag(d.get());
    // One reading for the field and the followers' lags, so that matchIndex + lag = commitIndex
    // holds within one answer even while entries commit.
    long commit = d.get().getRaftLog().getLastCommittedIndex();
    return new NodeStatus(
        config.nodeId(),
        config.shardId(),
        info.getCurrentRole().name(),
        leader == null ? null : leader.toString(),
        info.getCurrentTerm(),
        commit,
        pending,
        stored,
        running,
        info.isLeaderReady(),
        info.getLastAppliedIndex(),
        lag.lag(),
        lag.stalled(),
        followers(d.get(), commit),
        inFlight);
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
