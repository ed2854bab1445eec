package dev.shardhook.proxy.upstream;

import dev.shardhook.api.problem.BadGatewayException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.ShardUnavailableException;

/**
 * The forwarding stage that moves on to the next node: what the tries of one forward have shown so
 * far, whether another node may still be tried, and what to answer when no node is left.
 */
final class Tries {
  private final String shardId;
  private final NodeRequest request;
  private boolean maybeActedOn;
  private NodeAnswer noLeader;
  private String garbage;

  Tries(String shardId, NodeRequest request) {
    this.shardId = shardId;
    this.request = request;
  }

  /**
   * Whether the next node may be tried: always, unless a node may have acted on a request that must
   * not be sent twice.
   */
  boolean mayTryAnother() {
    return !maybeActedOn || request.resendable();
  }

  /** Takes note of a try that gave no answer to pass on. */
  void failed(Attempt attempt) {
    switch (attempt) {
      case Attempt.NoLeader n -> {
        noLeader = n.answer();
        maybeActedOn = true;
      }
      case Attempt.Garbled g -> {
        garbage = g.why();
        maybeActedOn = true;
      }
      case Attempt.Unreachable u -> {}
      case Attempt.Answered a -> throw new IllegalArgumentException("an answer is not a failure");
    }
  }

  /**
   * What the client gets when no node gave a proper answer: a 503 a node gave, if any.
   *
   * @throws BadGatewayException when nodes were reached but none answered properly
   * @throws ShardUnavailableException when no node could be reached or tried
   */
  NodeAnswer exhausted() {
    if (noLeader != null) {
      return noLeader;
    }
    if (garbage != null) {
      throw new BadGatewayException(
          "no valid answer from shard '" + shardId + "'; last: " + Printable.of(garbage));
    }
    throw new ShardUnavailableException(
        "no node of shard '" + shardId + "' is reachable; try again shortly", true);
  }
}
