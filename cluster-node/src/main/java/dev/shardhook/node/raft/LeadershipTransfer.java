package dev.shardhook.node.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hand-over of this node's leadership at shutdown: see {@link RaftShard#transferLeadership}.
 */
final class LeadershipTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipTransfer.class);

  /**
   * Longest wait for one follower to take leadership over: an election takes 150-300 ms, more on a
   * loaded machine.
   */
  static final Duration TRANSFER_PER_TARGET = Duration.ofSeconds(2);

  /** Followers silent for longer are not asked to take leadership over. */
  static final Duration TRANSFER_TARGET_SILENCE = Duration.ofSeconds(1);

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftPeerId self;
  private final ClientId clientId;
  private final LongSupplier nextCallId;
  private final Supplier<Optional<RaftServer.Division>> division;
  private final String shardId;

  LeadershipTransfer(
      RaftServer server,
      RaftGroupId groupId,
      RaftPeerId self,
      ClientId clientId,
      LongSupplier nextCallId,
      Supplier<Optional<RaftServer.Division>> division,
      String shardId) {
    this.server = server;
    this.groupId = groupId;
    this.self = self;
    this.clientId = clientId;
    this.nextCallId = nextCallId;
    this.division = division;
    this.shardId = shardId;
  }

  /** See {@link RaftShard#transferLeadership}. */
  boolean run(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<RaftServer.Division> d = division.get();
    if (d.isEmpty() || !d.get().getInfo().isLeader()) {
      return true;
    }
    for (RaftPeerId target : transferTargets(d.get())) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (leftMs <= 0 || !isLeader()) {
        break; // out of time, or the last try made this node step down after all
      }
      long tryMs = Math.min(leftMs, TRANSFER_PER_TARGET.toMillis());
      long tryDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(tryMs);
      try {
        RaftClientReply reply =
            server.transferLeadership(
                new TransferLeadershipRequest(
                    clientId, self, groupId, nextCallId.getAsLong(), target, tryMs));
        if (reply.isSuccess() && awaitNotLeader(tryDeadline)) {
          break;
        }
        LOG.warn(
            "leadership transfer to {} failed: {}", target, String.valueOf(reply.getException()));
      } catch (IOException | RuntimeException e) {
        LOG.warn("leadership transfer to {} failed: {}", target, e.toString());
      }
    }
    if (isLeader()) {
      return false;
    }
    // Stepped down. If the target's election timed out (a loaded machine), whoever wins the next
    // one leads: wait for it, so the shard has a leader before this node's server closes.
    if (awaitOtherLeader(deadline)) {
      LOG.info("leadership of {} moved to {}", shardId, leaderId().orElse(null));
    } else {
      LOG.warn("stepped down, but no other leader of {} yet", shardId);
    }
    return true;
  }

  private Optional<RaftPeerId> leaderId() {
    return division.get().map(x -> x.getInfo().getLeaderId());
  }

  private boolean awaitOtherLeader(long deadlineNanos) {
    return awaitUntil(() -> leaderId().filter(id -> !id.equals(self)).isPresent(), deadlineNanos);
  }

  private List<RaftPeerId> transferTargets(RaftServer.Division d) {
    RoleInfoProto role = d.getInfo().getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return List.of();
    }
    return role.getLeaderInfo().getFollowerInfoList().stream()
        .filter(f -> f.getLastRpcElapsedTimeMs() <= TRANSFER_TARGET_SILENCE.toMillis())
        .sorted(Comparator.comparingLong(ServerRpcProto::getLastRpcElapsedTimeMs))
        .map(f -> RaftPeerId.valueOf(f.getId().getId()))
        .filter(id -> !id.equals(self))
        .toList();
  }

  private boolean awaitNotLeader(long deadlineNanos) {
    return awaitUntil(() -> !isLeader(), deadlineNanos);
  }

  private static boolean awaitUntil(BooleanSupplier condition, long deadlineNanos) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadlineNanos >= 0) {
        return false;
      }
      try {
        Thread.sleep(10); // a leadership change has no callback here; a short poll is enough
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private boolean isLeader() {
    return division.get().map(x -> x.getInfo().isLeader()).orElse(false);
  }
}
