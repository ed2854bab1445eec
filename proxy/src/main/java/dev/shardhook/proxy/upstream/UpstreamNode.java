package dev.shardhook.proxy.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy knows about one node: its URL, its circuit breaker, and the latest word on its
 * health and role, from the status poller and from the answers to forwarded requests, whichever
 * came last. Thread-safe: writers are synchronized, readers see one consistent {@link View}.
 */
public final class UpstreamNode {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamNode.class);

  static final String LEADER = "LEADER";
  static final String UNKNOWN_ROLE = "UNKNOWN";

  public enum Health {
    /** Not polled yet: worth a try, but does not make the shard count as reachable. */
    UNKNOWN,
    UP,
    DOWN
  }

  /**
   * One consistent snapshot.
   *
   * @param nodeId the node's own id, from its {@code /status}
   * @param role LEADER, FOLLOWER, CANDIDATE, ... as the node reported it, or UNKNOWN
   * @param leaderId the leader the node knows of
   * @param error why the node counts as down, or null
   * @param checkedAt when the poller last heard from (or about) the node
   */
  public record View(
      Health health,
      String nodeId,
      String role,
      String leaderId,
      long term,
      String error,
      Instant checkedAt) {}

  private final String shardId;
  private final URI url;
  private final HttpUrl httpUrl;
  private final CircuitBreaker breaker;
  private final Duration breakerOpenDuration;
  private volatile View view = new View(Health.UNKNOWN, null, UNKNOWN_ROLE, null, 0, null, null);
  private volatile long breakerOpenedAt;

  UpstreamNode(String shardId, URI url, CircuitBreaker breaker, Duration breakerOpenDuration) {
    this.shardId = shardId;
    this.url = url;
    this.httpUrl = HttpUrl.get(url.toString());
    this.breaker = breaker;
    this.breakerOpenDuration = breakerOpenDuration;
    breaker
        .getEventPublisher()
        .onStateTransition(
            e -> {
              if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                breakerOpenedAt = System.nanoTime();
              }
            });
  }

  String shardId() {
    return shardId;
  }

  public URI url() {
    return url;
  }

  /**
   * {@code path} (which starts with '/') on this node; a {@code ?query} after it, already encoded,
   * is kept.
   */
  HttpUrl resolve(String path) {
    int query = path.indexOf('?');
    if (query < 0) {
      return httpUrl.newBuilder().encodedPath(path).build();
    }
    return httpUrl
        .newBuilder()
        .encodedPath(path.substring(0, query))
        .encodedQuery(path.substring(query + 1))
        .build();
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public View view() {
    return view;
  }

  boolean isLeader() {
    View v = view;
    return v.health() == Health.UP && LEADER.equals(v.role());
  }

  /**
   * Whether a request may be sent here: not known to be down, and its breaker closed, half open, or
   * open for long enough that the next call is let through as a trial.
   */
  boolean selectable() {
    return view.health() != Health.DOWN && breakerAdmits();
  }

  private boolean breakerAdmits() {
    return switch (breaker.getState()) {
      case OPEN -> System.nanoTime() - breakerOpenedAt >= breakerOpenDuration.toNanos();
      case FORCED_OPEN -> false;
      default -> true;
    };
  }

  /** A successful {@code GET /status}. */
  synchronized void polled(String nodeId, String role, String leaderId, long term, Instant at) {
    if (view.health() == Health.DOWN) {
      LOG.info("node {} of {} is up again ({})", url, shardId, role);
    }
    view =
        new View(Health.UP, nodeId, role == null ? UNKNOWN_ROLE : role, leaderId, term, null, at);
  }

  /** A failed {@code GET /status}. */
  synchronized void pollFailed(String error, Instant at) {
    markDown(error, at);
  }

  /** A forwarded request could not connect: down until the next successful poll. */
  synchronized void unreachable(String error) {
    markDown(error, view.checkedAt());
  }

  /** A forwarded request got a proper answer: the node is up, whatever the last poll said. */
  synchronized void answered() {
    View v = view;
    if (v.health() != Health.UP) {
      view = new View(Health.UP, v.nodeId(), v.role(), v.leaderId(), v.term(), null, v.checkedAt());
    }
  }

  /**
   * The node answered 503 (its group has no leader it can reach): stop preferring it as leader
   * until a poll says otherwise.
   */
  synchronized void noLeader() {
    View v = view;
    if (LEADER.equals(v.role())) {
      view =
          new View(v.health(), v.nodeId(), UNKNOWN_ROLE, null, v.term(), v.error(), v.checkedAt());
    }
  }

  private void markDown(String error, Instant at) {
    View v = view;
    if (v.health() != Health.DOWN) {
      LOG.warn("node {} of {} is down: {}", url, shardId, error);
    }
    view = new View(Health.DOWN, v.nodeId(), UNKNOWN_ROLE, null, v.term(), error, at);
  }

  @Override
  public String toString() {
    return url + " (" + shardId + ")";
  }
}
