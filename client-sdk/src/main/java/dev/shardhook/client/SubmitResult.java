package dev.shardhook.client;

import dev.shardhook.api.Job;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one request of {@link ShardhookClient#submitAll}: accepted (201), replayed (200:
 * the same request was accepted before) or refused, with the error. Immutable.
 *
 * <p>To retry a refused item safely, submit it again with {@link #idempotencyKey()}.
 */
public final class SubmitResult {
  private final int status;
  private final Job job;
  private final ShardhookException error;
  private final String idempotencyKey;

  private SubmitResult(int status, Job job, ShardhookException error, String idempotencyKey) {
    this.status = status;
    this.job = job;
    this.error = error;
    this.idempotencyKey = idempotencyKey;
  }

  static SubmitResult accepted(int status, Job job, String idempotencyKey) {
    return new SubmitResult(status, Objects.requireNonNull(job, "job"), null, idempotencyKey);
  }

  static SubmitResult refused(ShardhookException error, String idempotencyKey) {
    return new SubmitResult(error.status(), null, error, idempotencyKey);
  }

  /** 201 created, 200 replayed, the status of the refusal, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** True when the shard holds the job: created now, or earlier by the same request. */
  public boolean isAccepted() {
    return job != null;
  }

  /** True when the shard had already accepted this request (same id or key) before. */
  public boolean isReplayed() {
    return job != null && status == 200;
  }

  /** The job, when accepted. */
  public Optional<Job> job() {
    return Optional.ofNullable(job);
  }

  /** Why the item was refused, when it was. */
  public Optional<ShardhookException> error() {
    return Optional.ofNullable(error);
  }

  /**
   * The job, or the refusal thrown.
   *
   * @throws ShardhookException the error of a refused item
   */
  public Job jobOrThrow() {
    if (error != null) {
      throw error;
    }
    return job;
  }

  /** The key this item was submitted under: the caller's, or the one the client generated. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  @Override
  public String toString() {
    return job != null
        ? "SubmitResult{" + status + ", job=" + job.id() + "}"
        : "SubmitResult{" + status + ", error=" + error.getMessage() + "}";
  }
}
