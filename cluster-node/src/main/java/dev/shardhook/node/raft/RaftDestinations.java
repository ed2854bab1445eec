package dev.shardhook.node.raft;

import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.delivery.DisabledDestinations;
import dev.shardhook.node.job.DisabledDestination;
import dev.shardhook.node.store.JobStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disabled destinations of the shard, in Raft (README, "Destinations"): the dispatcher reads
 * them from the store as applied, proposes {@link Command.DestinationDisabled} for one failing too
 * long, and an admin's enable proposes {@link Command.DestinationEnabled}.
 */
public final class RaftDestinations implements DisabledDestinations {
  private static final Logger LOG = LoggerFactory.getLogger(RaftDestinations.class);

  private final RaftShard shard;
  private final JobStore store;
  private final Duration commitTimeout;

  public RaftDestinations(RaftShard shard, JobStore store, Duration commitTimeout) {
    this.shard = shard;
    this.store = store;
    this.commitTimeout = commitTimeout;
  }

  @Override
  public Map<String, DisabledDestination> current() {
    return store.disabledDestinations();
  }

  @Override
  public void disable(String host, String reason) {
    shard
        .propose(CommandCodec.proposal(new Command.DestinationDisabled(host, 0, reason)))
        .whenComplete(
            (reply, e) -> {
              if (e != null || !reply.isSuccess()) {
                LOG.warn(
                    "disabling {} was not committed; the dispatcher proposes it again: {}",
                    host,
                    e != null ? e.toString() : reply.getException());
              }
            });
  }

  /** Enables {@code host}; completes with whether it was disabled (as applied here before). */
  public CompletableFuture<Boolean> enable(String host) {
    boolean was = current().containsKey(host);
    return shard
        .propose(CommandCodec.proposal(new Command.DestinationEnabled(host, 0)))
        .orTimeout(commitTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (reply, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                throw new CommitUnknownException(
                    "the shard did not confirm enabling " + host + ": " + cause, cause);
              }
              if (!reply.isSuccess()) {
                throw new ShardUnavailableException(
                    "the shard refused the request: " + reply.getException(), reply.getException());
              }
              return was;
            });
  }
}
