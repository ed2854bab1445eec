package dev.shardhook.node.delivery;

import dev.shardhook.node.job.AttemptOutcome;

/**
 * Takes attempt outcomes to be proposed to Raft in batched {@code Outcome} entries. Never blocks.
 * Once the outcome is applied (or could not be proposed) the owner calls {@link
 * Dispatcher#outcomeSettled(String)}.
 */
public interface OutcomeSink {
  void record(AttemptOutcome outcome);
}
