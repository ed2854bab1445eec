package dev.shardhook.node;

import java.time.Duration;

/**
 * Root of the node's exceptions. Each subclass names one failure the HTTP layer turns into one
 * problem type and status.
 */
public abstract class NodeException extends RuntimeException {
  protected NodeException(String message) {
    super(message);
  }

  protected NodeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The HTTP status this failure answers with. */
  public abstract int httpStatus();

  /** Short, stable name used in the problem {@code type} URI. */
  public abstract String problemType();

  /** Problem title: the same for every instance of the kind. */
  public abstract String title();

  /** A request that cannot be a job: bad JSON, bad field, unsafe target. */
  public static final class InvalidJobException extends NodeException {
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

  /** A request or job body over the configured limit. */
  public static final class PayloadTooLargeException extends NodeException {
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

  /** No job with that id on this shard. */
  public static final class JobNotFoundException extends NodeException {
    public JobNotFoundException(String id) {
      super("no job with id '" + id + "'");
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

  /** Cancel of a job that already reached a final status. */
  public static final class JobAlreadyFinishedException extends NodeException {
    public JobAlreadyFinishedException(String id, String status) {
      super("job '" + id + "' is already " + status);
    }

    @Override
    public int httpStatus() {
      return 409;
    }

    @Override
    public String problemType() {
      return "job-finished";
    }

    @Override
    public String title() {
      return "Job already finished";
    }
  }

  /**
   * A job id this shard does not own under any ring epoch of the shard map: the proxies would never
   * look for it here (RFC 9110 §15.5.20).
   */
  public static final class MisdirectedRequestException extends NodeException {
    public MisdirectedRequestException(String id, String shard, String owner) {
      super(
          "job id '"
              + id
              + "' does not belong to this shard '"
              + shard
              + "'; shard '"
              + owner
              + "' owns it: send it through a proxy, or to that shard's nodes");
    }

    @Override
    public int httpStatus() {
      return 421;
    }

    @Override
    public String problemType() {
      return "misdirected";
    }

    @Override
    public String title() {
      return "Misdirected request";
    }
  }

  /** The id or idempotency key was used before with a different request. */
  public static final class IdempotencyMismatchException extends NodeException {
    public IdempotencyMismatchException(String message) {
      super(message);
    }

    @Override
    public int httpStatus() {
      return 422;
    }

    @Override
    public String problemType() {
      return "idempotency-mismatch";
    }

    @Override
    public String title() {
      return "Idempotency key reused with a different request";
    }
  }

  /** Failures that tell the client to come back later. */
  public abstract static class RetryLaterException extends NodeException {
    private final Duration retryAfter;

    protected RetryLaterException(String message, Duration retryAfter, Throwable cause) {
      super(message, cause);
      this.retryAfter = retryAfter;
    }

    /** How long the client should wait before trying again. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** The shard holds as many pending jobs as it may. */
  public static final class QueueFullException extends RetryLaterException {
    public QueueFullException(long maxPending, Duration retryAfter) {
      super("the shard already holds " + maxPending + " pending jobs", retryAfter, null);
    }

    @Override
    public int httpStatus() {
      return 429;
    }

    @Override
    public String problemType() {
      return "queue-full";
    }

    @Override
    public String title() {
      return "Queue full";
    }
  }

  /**
   * The node's data disk is nearly full: new jobs are refused while deliveries and purges go on, so
   * space comes back as finished jobs leave the store.
   */
  public static final class InsufficientStorageException extends RetryLaterException {
    /** How long a client waits: purging frees space at most a minute apart. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    // Public (String): Ratis rebuilds a refusal from a forwarding node by this constructor.
    public InsufficientStorageException(String message) {
      super(message, RETRY_AFTER, null);
    }

    @Override
    public int httpStatus() {
      return 507;
    }

    @Override
    public String problemType() {
      return "insufficient-storage";
    }

    @Override
    public String title() {
      return "Insufficient storage";
    }
  }

  /** The shard cannot commit right now: no leader, or the leader is not ready. */
  public static final class ShardUnavailableException extends RetryLaterException {
    public ShardUnavailableException(String message, Throwable cause) {
      super(message, Duration.ofSeconds(1), cause);
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

  /**
   * The request went into the shard's log but its commit was not confirmed in time: the job may
   * still be created. The client looks it up ({@code Location}) or resubmits it with the same id,
   * which is idempotent; it never needs to guess.
   */
  public static final class CommitUnknownException extends RetryLaterException {
    private final String jobId;

    public CommitUnknownException(String message, Throwable cause) {
      this(message, null, cause);
    }

    private CommitUnknownException(String message, String jobId, Throwable cause) {
      super(message, Duration.ofSeconds(1), cause);
      this.jobId = jobId;
    }

    /** The same failure for one job: its detail and {@code Location} name the job. */
    public CommitUnknownException forJob(String id) {
      return new CommitUnknownException(
          "job '"
              + id
              + "' may still be created: "
              + getMessage()
              + "; look it up at /jobs/"
              + id
              + " or resubmit it with the same id",
          id,
          getCause());
    }

    /** The job this answer is about, or null when it is about a whole request. */
    public String jobId() {
      return jobId;
    }

    @Override
    public int httpStatus() {
      return 504;
    }

    @Override
    public String problemType() {
      return "commit-unknown";
    }

    @Override
    public String title() {
      return "Commit not confirmed";
    }
  }

  /** A bad flag or environment value at start-up. */
  public static final class InvalidConfigException extends NodeException {
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
}
