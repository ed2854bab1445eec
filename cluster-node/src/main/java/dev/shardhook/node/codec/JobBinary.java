package dev.shardhook.node.codec;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.RetrySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client model's {@link Job} (with its {@link RetrySpec} and {@link Attempt}s) in binary form,
 * shared by stored job records and submit replies. Fields are written in component order with no
 * names or version: the enclosing format carries the version.
 */
public final class JobBinary {
  private JobBinary() {}

  public static void writeJob(BinaryOut out, Job job) {
    out.writeString(job.id());
    out.writeString(job.shardId());
    out.writeByte(statusCode(job.status()));
    out.writeString(job.url());
    out.writeString(job.method());
    out.writeStringMap(job.headers());
    out.writeString(job.body());
    out.writeString(job.idempotencyKey());
    out.writeLong(job.timeoutMs());
    writeRetry(out, job.retry());
    out.writeInstant(job.createdAt());
    out.writeInstant(job.nextAttemptAt());
    out.writeInstant(job.finishedAt());
    List<Attempt> attempts = job.attempts();
    out.writeCount(attempts.size());
    for (Attempt a : attempts) {
      out.writeInt(a.number());
      out.writeInstant(a.startedAt());
      out.writeLong(a.durationMs());
      out.writeNullableInt(a.statusCode());
      out.writeString(a.error());
    }
  }

  public static Job readJob(BinaryIn in) {
    String id = in.readString();
    String shardId = in.readString();
    JobStatus status = status(in.readByte());
    String url = in.readString();
    String method = in.readString();
    Map<String, String> headers = in.readStringMap();
    String body = in.readString();
    String idempotencyKey = in.readString();
    long timeoutMs = in.readLong();
    RetrySpec retry = readRetry(in);
    Instant createdAt = in.readInstant();
    Instant nextAttemptAt = in.readInstant();
    Instant finishedAt = in.readInstant();
    int count = in.readCount();
    List<Attempt> attempts = count < 0 ? null : new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      attempts.add(
          new Attempt(
              in.readInt(),
              in.readInstant(),
              in.readLong(),
              in.readNullableInt(),
              in.readString()));
    }
    return new Job(
        id,
        shardId,
        status,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeoutMs,
        retry,
        createdAt,
        nextAttemptAt,
        finishedAt,
        attempts);
  }

  /** A nullable policy whose fields are each nullable. */
  public static void writeRetry(BinaryOut out, RetrySpec retry) {
    out.writeBoolean(retry != null);
    if (retry != null) {
      out.writeNullableInt(retry.maxAttempts());
      out.writeNullableLong(retry.initialBackoffMs());
      out.writeNullableLong(retry.maxBackoffMs());
      out.writeNullableDouble(retry.multiplier());
      out.writeNullableLong(retry.maxRetryDurationMs());
    }
  }

  public static RetrySpec readRetry(BinaryIn in) {
    if (!in.readBoolean()) {
      return null;
    }
    return new RetrySpec(
        in.readNullableInt(),
        in.readNullableLong(),
        in.readNullableLong(),
        in.readNullableDouble(),
        in.readNullableLong());
  }

  // Fixed codes rather than ordinals, so reordering the enum cannot silently change stored data.
  private static int statusCode(JobStatus status) {
    if (status == null) {
      return 0;
    }
    return switch (status) {
      case PENDING -> 1;
      case RUNNING -> 2;
      case SUCCEEDED -> 3;
      case FAILED -> 4;
      case CANCELLED -> 5;
    };
  }

  private static JobStatus status(int code) {
    return switch (code) {
      case 0 -> null;
      case 1 -> JobStatus.PENDING;
      case 2 -> JobStatus.RUNNING;
      case 3 -> JobStatus.SUCCEEDED;
      case 4 -> JobStatus.FAILED;
      case 5 -> JobStatus.CANCELLED;
      default -> throw new IllegalArgumentException("malformed binary value: job status " + code);
    };
  }
}
