package dev.shardhook.proxy.upstream;

import dev.shardhook.api.problem.BadGatewayException;
import dev.shardhook.api.problem.GatewayTimeoutException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.ProxyMetrics;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * Sends a request to one shard: to its leader if known, else to another node, moving on to the next
 * node when one cannot be reached, breaks the connection, answers garbage, or answers 503 (no
 * leader in reach). Every node of a shard takes every request (docs/architecture.md §1), so any
 * node is a correct target; the leader only saves a hop.
 *
 * <p>Sending a submission to a second node is safe because the proxy fixed its id before the first
 * try: the second copy is an idempotent replay, never a second job. All tries together stay within
 * the forward timeout; past it the answer is 504.
 *
 * <p>Each try runs the same stages in order: the nodes in the order to try them, leader first
 * ({@link UpstreamShard#candidates}); the node's breaker ({@link BreakerGuard}); the send ({@link
 * NodeCall}); what the answer means ({@link AttemptJudge}); and, unless it is the answer, whether
 * and where to try next ({@link Tries}).
 */
public final class Forwarder {
  private final Upstreams upstreams;
  private final Duration forwardTimeout;
  private final BreakerGuard guard = new BreakerGuard();
  private final NodeCall call;
  private final AttemptJudge judge;

  public Forwarder(
      Upstreams upstreams, OkHttpClient http, Duration forwardTimeout, ProxyMetrics metrics) {
    this.upstreams = upstreams;
    this.forwardTimeout = forwardTimeout;
    this.call = new NodeCall(http);
    this.judge = new AttemptJudge(metrics);
  }

  /**
   * The first proper answer from a node of {@code shardId}, whatever its status; a 503 only when
   * every node that could be tried said 503.
   *
   * @throws ShardUnavailableException when no node could be reached or tried
   * @throws BadGatewayException when nodes were reached but none gave a proper answer
   * @throws GatewayTimeoutException when the forward timeout ran out
   */
  public NodeAnswer forward(String shardId, NodeRequest request) {
    UpstreamShard shard = upstreams.shard(shardId);
    ForwardDeadline deadline = new ForwardDeadline(shardId, forwardTimeout);
    Tries tries = new Tries(shardId, request);
    for (UpstreamNode node : shard.candidates()) {
      if (!tries.mayTryAnother()) {
        break;
      }
      long remaining = deadline.remainingNanos();
      Optional<Sent> sent = guard.send(node, () -> call.send(node, request, remaining));
      if (sent.isEmpty()) {
        continue;
      }
      Attempt attempt = judge.judge(shardId, node, sent.get(), deadline);
      if (attempt instanceof Attempt.Answered answered) {
        return answered.answer();
      }
      tries.failed(attempt);
    }
    return tries.exhausted();
  }
}
