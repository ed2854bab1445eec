package dev.shardhook.api.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request went into the shard's log but its commit was not confirmed in time: the job may still
 * be created. The client looks it up ({@code Location}) or resubmits it with the same id, which is
 * idempotent; it never needs to guess.
 */
public final class CommitUnknownException extends RetryLaterException {
  private final String jobId;

  public CommitUnknownException(String message, Throwable cause) {
    this(message, null, cause);
  }

  private CommitUnknownException(String message, String jobId, Throwable cause) {
    super(
        504,
        ProblemTypes.COMMIT_UNKNOWN,
        "Commit not confirmed",
        message,
        Duration.ofSeconds(1),
        cause);
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
  public Map<String, String> headers() {
    if (jobId == null) {
      return super.headers();
    }
    Map<String, String> headers = new LinkedHashMap<>(super.headers());
    headers.put("Location", "/jobs/" + jobId);
    return headers;
  }
}
