package dev.shardhook.node.raft;

/**
 * What an ordering key does when its head fails terminally, per tenant and queue (README,
 * "Ordering"): the queue's {@code orderingOnFailure} setting. Read inside apply, so it must answer
 * from replicated state only.
 */
@FunctionalInterface
public interface OrderingPolicy {
  /** The key waits until the failed job is replayed or cancelled. */
  OrderingPolicy BLOCK = (tenant, queue) -> OnFailure.BLOCK;

  OnFailure onFailure(String tenant, String queue);

  enum OnFailure {
    BLOCK,
    SKIP
  }
}
