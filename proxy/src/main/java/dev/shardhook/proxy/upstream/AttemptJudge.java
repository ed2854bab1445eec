package dev.shardhook.proxy.upstream;

import dev.shardhook.api.problem.GatewayTimeoutException;
import dev.shardhook.proxy.ProxyMetrics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The forwarding stage that maps what a send gave to what it means ({@link Attempt}), counts it,
 * and tells the node's record what it learned: a proper answer means the node is up, a 503 that it
 * does not lead, a refused connection that it is down.
 */
final class AttemptJudge {
  private final ProxyMetrics metrics;

  AttemptJudge(ProxyMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * @throws GatewayTimeoutException when the send failed because the forward's time ran out
   */
  Attempt judge(String shardId, UpstreamNode node, Sent sent, ForwardDeadline deadline) {
    long took = sent.tookNanos();
    IOException failure = sent.failure();
    if (failure != null) {
      if (deadline.passed()) {
        metrics.forwarded(shardId, "timeout", took);
        throw deadline.timeout();
      }
      if (isConnectFailure(failure)) {
        metrics.forwarded(shardId, "connect_error", took);
        node.unreachable(describe(failure));
        return new Attempt.Unreachable();
      }
      metrics.forwarded(shardId, "io_error", took);
      return new Attempt.Garbled(node.url() + ": " + describe(failure));
    }
    NodeAnswer answer = sent.answer();
    metrics.forwarded(shardId, Integer.toString(answer.status()), took);
    if (!answer.isJobApiAnswer()) {
      return new Attempt.Garbled(
          node.url() + ": answered " + answer.status() + " with " + answer.contentType());
    }
    node.answered();
    if (answer.status() == 503) {
      node.noLeader();
      return new Attempt.NoLeader(answer);
    }
    return new Attempt.Answered(answer);
  }

  /** Failures before the request could leave: the node cannot have acted on it. */
  static boolean isConnectFailure(IOException e) {
    if (e instanceof ConnectException
        || e instanceof NoRouteToHostException
        || e instanceof UnknownHostException) {
      return true;
    }
    return e instanceof SocketTimeoutException
        && e.getMessage() != null
        && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
