package dev.shardhook.node.raft;

import dev.shardhook.node.history.ExportProgress;
import dev.shardhook.node.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the history export: it proposes {@link Command.ExportedThrough} with its
 * exporter's position, at most about once a second, so the purge, applied on every replica, knows
 * which finished jobs the history holds (README, "Job history"). Followers' exporters report too;
 * their reports are dropped.
 */
public final class RaftExportProgress implements ExportProgress {
  private static final Logger LOG = LoggerFactory.getLogger(RaftExportProgress.class);
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private final RaftShard shard;
  private final JobStore store;
  private final Clock clock;
  private volatile long term = -1;
  // Far enough in the past that the first report proposes, without overflowing the difference.
  private long proposedAtMs = Long.MIN_VALUE / 2;

  public RaftExportProgress(RaftShard shard, JobStore store, Clock clock) {
    this.shard = shard;
    this.store = store;
    this.clock = clock;
  }

  /** This node became the ready leader of {@code term}. */
  public void start(long term) {
    this.term = term;
  }

  public void stop() {
    this.term = -1;
  }

  @Override
  public synchronized void exportedThrough(long index) {
    long t = term;
    long now = clock.millis();
    if (t < 0
        || index == store.exportedThrough()
        || now - proposedAtMs < MIN_INTERVAL.toMillis()
        || !shard.leads(t)) {
      return;
    }
    proposedAtMs = now;
    shard
        .propose(CommandCodec.proposal(new Command.ExportedThrough(index)))
        .whenComplete(
            (reply, e) -> {
              if (e != null || !reply.isSuccess()) {
                LOG.warn(
                    "export position {} not committed; the exporter reports it again: {}",
                    index,
                    e != null ? e.toString() : reply.getException());
              }
            });
  }
}
