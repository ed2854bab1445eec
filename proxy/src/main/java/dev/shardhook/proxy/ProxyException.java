package dev.shardhook.proxy;

import dev.shardhook.support.http.ProblemAnswers;
import java.time.Duration;
import java.util.Map;

/**
 * Root of the proxy's exceptions. Each subclass is one failure the HTTP layer answers with one
 * status and problem type, the same types a node uses for the same failure, so a client cannot tell
 * from an error whether the proxy or the node refused it.
 */
public abstract class ProxyException extends RuntimeException {
  protected ProxyException(String message) {
    super(message);
  }

  protected ProxyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The HTTP status this failure answers with. */
  public abstract int httpStatus();

  /** Short, stable name used in the problem {@code type} URI. */
  public abstract String problemType();

  /** Problem title: the same for every instance of the kind. */
  public abstract String title();

  /** Headers the answer carries besides the problem ({@code Allow}, {@code Retry-After}). */
  public Map<String, String> headers() {
    return Map.of();
  }

  /** A bad flag, environment value or shard map at start-up. */
  public static final class InvalidConfigException extends ProxyException {
    public InvalidConfigException(String message) {
      super(message);
    }

    @Override
    public int httpStatus() {
      return 500;
    }

    @Override
    public String problemType() {
      return "invalid-config";
    }

    @Override
    public String title() {
      return "Invalid configuration";
    }
  }

  /** A request the proxy can tell is not a job without asking a node: bad JSON, id or key. */
  public static final class InvalidJobException extends ProxyException {
    public InvalidJobException(String message) {
      super(message);
    }

    @Override
    public int httpStatus() {
      return 400;
    }

    @Override
    public String problemType() {
      return "invalid-job";
    }

    @Override
    public String title() {
      return "Invalid job request";
    }
  }

  /** A request body over the proxy's limit. */
  public static final class PayloadTooLargeException extends ProxyException {
    public PayloadTooLargeException(String message) {
      super(message);
    }

    @Override
    public int httpStatus() {
      return 413;
    }

    @Override
    public String problemType() {
      return "payload-too-large";
    }

    @Override
    public String title() {
      return "Payload too large";
    }
  }

  /** A job id that cannot exist (not a valid id), answered without asking a shard. */
  public static final class JobNotFoundException extends ProxyException {
    public JobNotFoundException(String printableId) {
      super("no job with id '" + printableId + "'");
    }

    @Override
    public int httpStatus() {
      return 404;
    }

    @Override
    public String problemType() {
      return "job-not-found";
    }

    @Override
    public String title() {
      return "Job not found";
    }
  }

  /**
   * A protocol-level refusal with no kind of its own (unknown path, wrong method, wrong media
   * type): its problem type is named after the status, as on a node.
   */
  public static final class HttpProblemException extends ProxyException {
    private final int status;
    private final Map<String, String> headers;

    public HttpProblemException(int status, String detail) {
      this(status, detail, Map.of());
    }

    public HttpProblemException(int status, String detail, Map<String, String> headers) {
      super(detail);
      this.status = status;
      this.headers = Map.copyOf(headers);
    }

    @Override
    public int httpStatus() {
      return status;
    }

    @Override
    public String problemType() {
      return ProblemAnswers.slug(ProblemAnswers.genericTitle(status));
    }

    @Override
    public String title() {
      return ProblemAnswers.genericTitle(status);
    }

    @Override
    public Map<String, String> headers() {
      return headers;
    }
  }

  /** Failures that tell the client to come back later, with {@code Retry-After}. */
  public abstract static class RetryLaterException extends ProxyException {
    private final Duration retryAfter;

    protected RetryLaterException(String message, Duration retryAfter) {
      super(message);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }

    @Override
    public Map<String, String> headers() {
      return Map.of("Retry-After", retryAfterSeconds(retryAfter));
    }

    /** Whole seconds, rounded up and at least 1: {@code Retry-After: 0} invites a busy loop. */
    static String retryAfterSeconds(Duration d) {
      long ms = d == null ? 0 : Math.max(0, d.toMillis());
      return Long.toString(Math.max(1, (ms + 999) / 1000));
    }
  }

  /**
   * No node of a shard could take the request: every node down, refusing connections or behind an
   * open circuit breaker, or (for {@code /ready}) no shard reachable at all.
   */
  public static final class ShardUnavailableException extends RetryLaterException {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final boolean untouched;

    /**
     * @param untouched true when no node can have seen the request (none was tried, or every
     *     connection was refused), so sending it elsewhere under another id cannot duplicate it
     */
    public ShardUnavailableException(String message, boolean untouched) {
      super(message, RETRY_AFTER);
      this.untouched = untouched;
    }

    /** Whether the request certainly reached no node of the shard. */
    public boolean untouched() {
      return untouched;
    }

    @Override
    public int httpStatus() {
      return 503;
    }

    @Override
    public String problemType() {
      return "shard-unavailable";
    }

    @Override
    public String title() {
      return "Shard unavailable";
    }
  }

  /** A node answered something that is not an answer of the job API, or broke the connection. */
  public static final class BadGatewayException extends ProxyException {
    public BadGatewayException(String message) {
      super(message);
    }

    @Override
    public int httpStatus() {
      return 502;
    }

    @Override
    public String problemType() {
      return "bad-gateway";
    }

    @Override
    public String title() {
      return "Bad gateway";
    }
  }

  /** The shard did not answer within the forward timeout; the request may still take effect. */
  public static final class GatewayTimeoutException extends ProxyException {
    public GatewayTimeoutException(String message) {
      super(message);
    }

    @Override
    public int httpStatus() {
      return 504;
    }

    @Override
    public String problemType() {
      return "gateway-timeout";
    }

    @Override
    public String title() {
      return "Gateway timeout";
    }
  }
}
