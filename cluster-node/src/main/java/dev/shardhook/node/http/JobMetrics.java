package dev.shardhook.node.http;

import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.api.problem.IdempotencyMismatchException;
import dev.shardhook.api.problem.InsufficientStorageException;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.MisdirectedRequestException;
import dev.shardhook.api.problem.PayloadTooLargeException;
import dev.shardhook.api.problem.QueueFullException;
import dev.shardhook.api.problem.QuotaExceededException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.problem.UnsupportedMediaTypeException;
import dev.shardhook.support.http.ProblemAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Counts what became of submissions: {@code shardhook.jobs.{accepted,replayed,rejected}}. */
final class JobMetrics {
  /** The {@code reason} tag of {@code shardhook.jobs.rejected}. */
  enum Rejection {
    INVALID,
    TOO_LARGE,
    MISMATCH,
    QUEUE_FULL,
    QUOTA,
    UNAVAILABLE,
    MISDIRECTED,
    INSUFFICIENT_STORAGE
  }

  private final Counter accepted;
  private final Counter replayed;
  private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);

  JobMetrics(MeterRegistry registry) {
    accepted =
        Counter.builder("shardhook.jobs.accepted")
            .description("Jobs created by POST /jobs and /jobs:batch")
            .register(registry);
    replayed =
        Counter.builder("shardhook.jobs.replayed")
            .description("Submissions answered with an existing job (idempotent replay)")
            .register(registry);
    for (Rejection r : Rejection.values()) {
      rejected.put(
          r,
          Counter.builder("shardhook.jobs.rejected")
              .description("Submissions refused, by reason")
              .tag("reason", r.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  void accepted() {
    accepted.increment();
  }

  void replayed() {
    replayed.increment();
  }

  /** Counts {@code jobs} submissions refused with {@code failure}; other failures are not. */
  void rejected(Throwable failure, int jobs) {
    Rejection reason = reason(ProblemAnswers.unwrap(failure));
    if (reason != null) {
      rejected.get(reason).increment(jobs);
    }
  }

  private static Rejection reason(Throwable t) {
    return switch (t) {
      case InvalidJobException e -> Rejection.INVALID;
      case BadRequestException e -> Rejection.INVALID;
      case UnsupportedMediaTypeException e -> Rejection.INVALID;
      case PayloadTooLargeException e -> Rejection.TOO_LARGE;
      case IdempotencyMismatchException e -> Rejection.MISMATCH;
      case QueueFullException e -> Rejection.QUEUE_FULL;
      case QuotaExceededException e -> Rejection.QUOTA;
      case InsufficientStorageException e -> Rejection.INSUFFICIENT_STORAGE;
      case ShardUnavailableException e -> Rejection.UNAVAILABLE;
      case CommitUnknownException e -> Rejection.UNAVAILABLE;
      case MisdirectedRequestException e -> Rejection.MISDIRECTED;
      default -> null;
    };
  }
}
