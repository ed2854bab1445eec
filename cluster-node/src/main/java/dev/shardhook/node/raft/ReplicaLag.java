package dev.shardhook.node.raft;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A follower's view of how far it trails its leader, and whether it has stopped catching up.
 *
 * <p>A follower can stay in its group, answer every heartbeat and still never apply anything: the
 * leader's appends keep failing its consistency check (see {@code GenesisSnapshot}). Nothing in
 * Ratis reports that, so each observation compares the index this node applied with the leader's
 * commit index carried in heartbeats: a positive gap with no applied progress for {@link
 * #STALL_AFTER} marks the replica stalled. Observations come from {@code /status}, {@code /ready}
 * and metric scrapes, which pollers make every second or so.
 */
public final class ReplicaLag {
  /** How long a follower may apply nothing while its leader is ahead before it is stalled. */
  public static final Duration STALL_AFTER = Duration.ofSeconds(10);

  private final Clock clock;
  private final Duration stallAfter;
  private long lastApplied = Long.MIN_VALUE;
  private Instant progressAt;

  ReplicaLag(Clock clock, Duration stallAfter) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (stallAfter.isNegative() || stallAfter.isZero()) {
      throw new IllegalArgumentException("stallAfter must be positive: " + stallAfter);
    }
    this.stallAfter = stallAfter;
  }

  /** What one observation found. */
  record Reading(long lag, boolean stalled, Duration sinceProgress) {
    static final Reading NONE = new Reading(0, false, Duration.ZERO);
  }

  /**
   * Records this node's applied index and the leader's commit index as last reported (-1 when no
   * heartbeat carried it yet), and says how far behind this node is.
   */
  synchronized Reading observe(long applied, long leaderCommit) {
    Instant now = clock.instant();
    long lag = Math.max(0, leaderCommit - applied);
    if (applied != lastApplied || lag == 0 || progressAt == null) {
      // Caught up counts as progress, so an idle shard never looks stalled once work resumes.
      lastApplied = applied;
      progressAt = now;
    }
    Duration since = Duration.between(progressAt, now);
    return new Reading(lag, lag > 0 && since.compareTo(stallAfter) >= 0, since);
  }

  /** Forgets the history, when this node leads or has no leader. */
  synchronized void reset() {
    lastApplied = Long.MIN_VALUE;
    progressAt = null;
  }
}
