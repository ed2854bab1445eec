package dev.shardhook.client;

import dev.shardhook.api.Job;
import dev.shardhook.api.Problem;
import java.time.Duration;
import java.util.Optional;

/**
 * Root of every failure the SDK reports; unchecked. Each nested subclass names one kind, so callers
 * catch what they can handle, or switch over this sealed hierarchy:
 *
 * <pre>{@code
 * try {
 *   client.submit(request);
 * } catch (ShardhookException.QueueFull e) {
 *   // back off for e.retryAfter()
 * } catch (ShardhookException.InvalidJob e) {
 *   log.warn("refused: {}", e.problem().map(Problem::detail).orElse(e.getMessage()));
 * }
 * }</pre>
 *
 * An instance of this class itself (not of a subclass) is an answer the SDK has no kind for, such
 * as a 401 from a gateway or a 500.
 */
public sealed class ShardhookException extends RuntimeException {
  private final int status;
  private final transient Problem problem;

  /**
   * @param message what went wrong, for logs
   * @param status the HTTP status, or 0 when no answer came
   * @param problem the server's problem details, or null
   * @param cause the underlying failure, or null
   */
  public ShardhookException(String message, int status, Problem problem, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.problem = problem;
  }

  /** The HTTP status of the answer, or 0 when there was none (connection failure, timeout). */
  public int status() {
    return status;
  }

  /** The server's RFC 9457 problem details, when an answer came. */
  public Optional<Problem> problem() {
    return Optional.ofNullable(problem);
  }

  /** 400 or 413: the shard refused the request itself; sending it again will not help. */
  public static final class InvalidJob extends ShardhookException {
    /** See {@link ShardhookException#ShardhookException}; {@code status} is 400 or 413. */
    public InvalidJob(String message, int status, Problem problem) {
      super(message, status, problem, null);
    }
  }

  /** 404: no job with that id. */
  public static final class NotFound extends ShardhookException {
    /** See {@link ShardhookException#ShardhookException}. */
    public NotFound(String message, Problem problem) {
      super(message, 404, problem, null);
    }
  }

  /**
   * 401: no API key, or one the server does not know (revoked, mistyped). Not retried: the same key
   * will not become valid by waiting.
   */
  public static final class Unauthorized extends ShardhookException {
    /** See {@link ShardhookException#ShardhookException}. */
    public Unauthorized(String message, Problem problem) {
      super(message, 401, problem, null);
    }
  }

  /** 403: the API key's role does not allow the request (a {@code read} key submitting, say). */
  public static final class Forbidden extends ShardhookException {
    /** See {@link ShardhookException#ShardhookException}. */
    public Forbidden(String message, Problem problem) {
      super(message, 403, problem, null);
    }
  }

  /**
   * 409: the job is in the wrong state: a cancel of a finished job, a replay of one not failed or
   * cancelled.
   */
  public static final class Conflict extends ShardhookException {
    /** See {@link ShardhookException#ShardhookException}. */
    public Conflict(String message, Problem problem) {
      super(message, 409, problem, null);
    }
  }

  /** 422: the id or idempotency key was used before with a different request. */
  public static final class IdempotencyMismatch extends ShardhookException {
    /** See {@link ShardhookException#ShardhookException}. */
    public IdempotencyMismatch(String message, Problem problem) {
      super(message, 422, problem, null);
    }
  }

  /**
   * 429: the shard holds as many pending jobs as it may, or the tenant's quota is used up (see the
   * problem's {@code type}). Retried by the client within limits.
   */
  public static final class QueueFull extends ShardhookException {
    private final Duration retryAfter;

    /**
     * See {@link ShardhookException#ShardhookException}.
     *
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public QueueFull(String message, Problem problem, Duration retryAfter) {
      super(message, 429, problem, null);
      this.retryAfter = retryAfter;
    }

    /** How long the server asked the client to wait, when it said. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /**
   * 503, 504, or no answer at all (connection refused or reset, timeout): the shard has no leader,
   * could not be reached, or (504) did not confirm in time a request that may still take effect.
   * Retried by the client within limits, on the next endpoint, where repeating is safe: a
   * submission carries its id or idempotency key, so a repeat is a replay; a cancel is repeated
   * only after a 503 or when no connection was made.
   */
  public static final class Unavailable extends ShardhookException {
    private final Duration retryAfter;
    private final boolean reachedServer;

    /**
     * See {@link ShardhookException#ShardhookException}.
     *
     * @param status 503 or 504, or 0 when no answer came
     * @param retryAfter the server's {@code Retry-After}, or null
     */
    public Unavailable(
        String message, int status, Problem problem, Duration retryAfter, Throwable cause) {
      this(message, status, problem, retryAfter, cause, true);
    }

    Unavailable(
        String message,
        int status,
        Problem problem,
        Duration retryAfter,
        Throwable cause,
        boolean reachedServer) {
      super(message, status, problem, cause);
      this.retryAfter = retryAfter;
      this.reachedServer = reachedServer;
    }

    /** How long the server asked the client to wait, when it said. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }

    /** False only when the request surely never reached a server (no connection was made). */
    boolean reachedServer() {
      return reachedServer;
    }
  }

  /** {@code awaitCompletion} ran out of time before the job reached a final status. */
  public static final class CompletionTimeout extends ShardhookException {
    private final transient Job lastSeen;

    /**
     * @param message what went wrong, for logs
     * @param lastSeen the job as last read, not yet final
     */
    public CompletionTimeout(String message, Job lastSeen) {
      super(message, 0, null, null);
      this.lastSeen = lastSeen;
    }

    /** The job as last read, still PENDING or RUNNING. */
    public Job lastSeen() {
      return lastSeen;
    }
  }

  /**
   * A webhook delivery failed {@link WebhookVerifier} checks: a header is missing or malformed, the
   * timestamp is outside the tolerance, or no signature matches. Answer such a request with 400 or
   * 401 and do not act on it.
   */
  public static final class InvalidSignature extends ShardhookException {
    /**
     * @param message which check failed (never the expected signature)
     */
    public InvalidSignature(String message) {
      super(message, 0, null, null);
    }
  }
}
