package dev.shardhook.node.raft;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.server.RaftServer;

/**
 * The leader lease, read from Ratis's public role info: this node leads a term and a majority of
 * the group (this node included) acknowledged it within {@link #leaseMillis()}. See {@link
 * RaftShard#holdsLease(long)} for why the rule is safe.
 */
final class LeaderLease {
  private volatile Lease current = new Lease(-1, 0);

  /** Whether {@code d} leads {@code term} and holds its lease now. */
  boolean holds(RaftServer.Division d, long term) {
    if (!d.getInfo().isLeader() || d.getInfo().getCurrentTerm() != term) {
      return false;
    }
    long now = System.nanoTime();
    Lease known = current;
    if (known.term == term && now - known.untilNanos < 0) {
      return true;
    }
    // Building the role info costs; do it only when the lease last read has run out.
    RoleInfoProto role = d.getInfo().getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return false;
    }
    List<Long> elapsed =
        role.getLeaderInfo().getFollowerInfoList().stream()
            .map(f -> f.getLastRpcElapsedTimeMs())
            .toList();
    long left = leaseLeftMillis(elapsed, d.getRaftConf().getCurrentPeers().size(), leaseMillis());
    if (left <= 0) {
      return false;
    }
    current = new Lease(term, now + TimeUnit.MILLISECONDS.toNanos(left));
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
    return RaftShard.ELECTION_TIMEOUT_MIN.toLong(TimeUnit.MILLISECONDS) * 9 / 10;
  }
}
