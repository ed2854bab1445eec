package dev.shardhook.api.problem;

/**
 * The problem {@code type} slugs of the API, the last segment of each problem's {@code type} URI
 * under {@link ProblemException#TYPE_PREFIX}: clients match on these.
 */
public final class ProblemTypes {
  public static final String INVALID_JOB = "invalid-job";
  public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
  public static final String JOB_NOT_FOUND = "job-not-found";
  public static final String JOB_FINISHED = "job-finished";
  public static final String JOB_NOT_REPLAYABLE = "job-not-replayable";
  public static final String MISDIRECTED = "misdirected";
  public static final String IDEMPOTENCY_MISMATCH = "idempotency-mismatch";
  public static final String QUEUE_FULL = "queue-full";
  public static final String INSUFFICIENT_STORAGE = "insufficient-storage";
  public static final String SHARD_UNAVAILABLE = "shard-unavailable";
  public static final String COMMIT_UNKNOWN = "commit-unknown";
  public static final String BAD_GATEWAY = "bad-gateway";
  public static final String GATEWAY_TIMEOUT = "gateway-timeout";
  public static final String BAD_REQUEST = "bad-request";
  public static final String NOT_FOUND = "not-found";
  public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String FORBIDDEN = "forbidden";
  public static final String QUOTA_EXCEEDED = "quota-exceeded";
  public static final String UNKNOWN_QUEUE = "unknown-queue";
  public static final String QUEUE_NOT_FOUND = "queue-not-found";
  public static final String QUEUE_CONFLICT = "queue-conflict";

  private ProblemTypes() {}
}
