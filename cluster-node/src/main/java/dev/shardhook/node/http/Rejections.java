package dev.shardhook.node.http;

import dev.shardhook.api.problem.IdempotencyMismatchException;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.QueueFullException;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.job.TenantIds;
import java.time.Duration;

/** The failure a refused {@link SubmitResult} answers with, for single and batch submissions. */
final class Rejections {
  /** Pending jobs drain at delivery speed, so a short pause is enough before trying again. */
  static final Duration QUEUE_FULL_RETRY_AFTER = Duration.ofSeconds(1);

  private final long maxPending;

  Rejections(long maxPending) {
    this.maxPending = maxPending;
  }

  /**
   * @throws IllegalArgumentException for a result that is not a refusal
   */
  ProblemException of(SubmitResult result, NewJob job) {
    return switch (result.kind()) {
      case MISMATCH -> new IdempotencyMismatchException(mismatch(result, job));
      case QUEUE_FULL -> new QueueFullException(maxPending, QUEUE_FULL_RETRY_AFTER);
      case UNAPPLICABLE ->
          new InvalidJobException(
              "job '"
                  + TenantIds.publicId(job.id())
                  + "' could not be stored: a value is outside the range the shard holds;"
                  + " nothing was created");
      case CREATED, REPLAYED ->
          throw new IllegalArgumentException(result.kind() + " is no refusal");
    };
  }

  private static String mismatch(SubmitResult result, NewJob job) {
    if (job.idempotencyKey() != null) {
      String earlier = TenantIds.publicId(result.job() != null ? result.job().id() : job.id());
      return "idempotency key '"
          + TenantIds.publicKey(job.id(), job.idempotencyKey())
          + "' was already used for job '"
          + earlier
          + "' with a different request";
    }
    return "job id '"
        + TenantIds.publicId(job.id())
        + "' was already used with a different request";
  }
}
