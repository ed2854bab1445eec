package dev.shardhook.node.raft;

import dev.shardhook.node.delivery.AttemptKey;
import dev.shardhook.node.delivery.OutcomeSink;
import dev.shardhook.node.job.AttemptOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proposes attempt outcomes in batched {@code Outcome} entries. When a batch cannot be committed
 * (this node lost leadership), its jobs are settled anyway: they stay due and the next leader runs
 * them again, which is the at-least-once contract.
 */
public final class RaftOutcomeSink implements OutcomeSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftOutcomeSink.class);

  /** An outcome still unsent after this is dropped and its job attempted again. */
  static final Duration OUTCOME_MAX_WAIT = Duration.ofSeconds(30);

  private final EntryBatcher<AttemptOutcome, Void> batcher;
  private final RaftShard shard;
  private final Consumer<AttemptKey> settle;

  public RaftOutcomeSink(RaftShard shard, Consumer<AttemptKey> settle) {
    this.shard = shard;
    this.settle = settle;
    this.batcher =
        new EntryBatcher<>(
            "outcome-batcher",
            1024,
            RaftShard.MAX_ENTRY_BYTES / 2,
            Duration.ofMillis(2),
            4,
            OUTCOME_MAX_WAIT,
            () -> new IllegalStateException("outcome not proposed within " + OUTCOME_MAX_WAIT),
            o ->
                200
                    + (o.error() == null ? 0 : o.error().length() * 3)
                    + (o.response() == null ? 0 : o.response().encodedBytesAtMost()),
            this::send);
  }

  @Override
  public void record(AttemptOutcome outcome) {
    batcher
        .add(List.of(outcome))
        .exceptionally(
            e -> {
              // Never proposed (expired in the queue or shutting down): the job runs again.
              settle.accept(new AttemptKey(outcome.jobId(), outcome.attemptNumber()));
              return null;
            });
  }

  private CompletableFuture<List<Void>> send(List<AttemptOutcome> outcomes) {
    Command.Outcome command = new Command.Outcome(outcomes, List.of());
    return shard
        .propose(CommandCodec.proposal(command))
        .handle(
            (reply, error) -> {
              if (error != null || !reply.isSuccess()) {
                LOG.warn(
                    "{} outcomes not committed ({}); their jobs will be retried",
                    outcomes.size(),
                    error != null ? error.toString() : reply.getException());
                outcomes.forEach(o -> settle.accept(new AttemptKey(o.jobId(), o.attemptNumber())));
              }
              return new ArrayList<Void>(java.util.Collections.nCopies(outcomes.size(), null));
            });
  }

  /** Waits until every recorded outcome has been proposed and answered, up to {@code timeout}. */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    return batcher.awaitDrained(timeout);
  }

  @Override
  public void close() {
    batcher.close();
  }
}
