package dev.shardhook.proxy;

import dev.shardhook.api.problem.BadGatewayException;
import dev.shardhook.api.problem.GatewayTimeoutException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.ShardUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends a request to one shard: to its leader if known, else to another node, moving on to the next
 * node when one cannot be reached, breaks the connection, answers garbage, or answers 503 (no
 * leader in reach). Every node of a shard takes every request (DESIGN.md §1), so any node is a
 * correct target; the leader only saves a hop.
 *
 * <p>Sending a submission to a second node is safe because the proxy fixed its id before the first
 * try: the second copy is an idempotent replay, never a second job. All tries together stay within
 * the forward timeout; past it the answer is 504.
 */
public final class Forwarder {
  private static final MediaType JSON = MediaType.get("application/json");

  private final Upstreams upstreams;
  private final OkHttpClient http;
  private final Duration forwardTimeout;
  private final ProxyMetrics metrics;

  Forwarder(Upstreams upstreams, OkHttpClient http, Duration forwardTimeout, ProxyMetrics metrics) {
    this.upstreams = upstreams;
    this.http = http;
    this.forwardTimeout = forwardTimeout;
    this.metrics = metrics;
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
    long deadline = System.nanoTime() + forwardTimeout.toNanos();
    boolean maybeActedOn = false;
    NodeAnswer noLeader = null;
    String garbage = null;
    for (UpstreamNode node : shard.candidates()) {
      if (maybeActedOn && !request.resendable()) {
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw timeout(shardId);
      }
      if (!node.breaker().tryAcquirePermission()) {
        continue;
      }
      long start = System.nanoTime();
      NodeAnswer answer;
      try {
        answer = call(node, request, remaining);
      } catch (IOException e) {
        long took = System.nanoTime() - start;
        node.breaker().onError(took, TimeUnit.NANOSECONDS, e);
        if (deadline - System.nanoTime() <= 0) {
          metrics.forwarded(shardId, "timeout", took);
          throw timeout(shardId);
        }
        if (isConnectFailure(e)) {
          metrics.forwarded(shardId, "connect_error", took);
          node.unreachable(describe(e));
          continue;
        }
        metrics.forwarded(shardId, "io_error", took);
        maybeActedOn = true;
        garbage = node.url() + ": " + describe(e);
        continue;
      } catch (RuntimeException e) {
        node.breaker().releasePermission();
        throw e;
      }
      long took = System.nanoTime() - start;
      metrics.forwarded(shardId, Integer.toString(answer.status()), took);
      if (!answer.isJobApiAnswer()) {
        node.breaker().onError(took, TimeUnit.NANOSECONDS, new BadGatewayException("not JSON"));
        maybeActedOn = true;
        garbage = node.url() + ": answered " + answer.status() + " with " + answer.contentType();
        continue;
      }
      node.answered();
      if (answer.status() == 503) {
        node.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        node.noLeader();
        noLeader = answer;
        maybeActedOn = true;
        continue;
      }
      if (answer.status() >= 500) {
        node.breaker()
            .onError(took, TimeUnit.NANOSECONDS, new BadGatewayException("" + answer.status()));
      } else {
        node.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
      }
      return answer;
    }
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

  private NodeAnswer call(UpstreamNode node, NodeRequest request, long timeoutNanos)
      throws IOException {
    Request.Builder proxyToNodeRequest =
        new Request.Builder()
            .url(node.resolve(request.path()))
            .header("Accept", "application/json");
    if (request.idempotencyKey() != null) {
      proxyToNodeRequest.header("Idempotency-Key", request.idempotencyKey());
    }
    RequestBody body = request.body() == null ? null : RequestBody.create(request.body(), JSON);
    proxyToNodeRequest.method(request.method(), body);
    Call call = http.newCall(proxyToNodeRequest.build());
    call.timeout().timeout(timeoutNanos, TimeUnit.NANOSECONDS);
    try (Response nodeToProxyResponse = call.execute()) {
      return NodeAnswer.read(nodeToProxyResponse);
    }
  }

  private static GatewayTimeoutException timeout(String shardId) {
    return new GatewayTimeoutException(
        "shard '"
            + shardId
            + "' did not answer within the forward timeout; the request may still take effect");
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
