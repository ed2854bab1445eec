package dev.shardhook.node.codec;

import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link JobRecord} (with its {@link RetrySettings} and {@link AttemptRecord}s) in binary form,
 * shared by stored job records and Raft replies. Fields are written in component order with no
 * names or version: the enclosing format carries the version. Durations are whole milliseconds.
 *
 * <p>Three layouts, numbered as the enclosing formats' versions: {@link #PLAIN} has no captured
 * responses; {@link #WITH_RESPONSES} follows each attempt with its {@link CapturedResponse} (absent
 * or present); {@link #WITH_REPLAY} is the second followed by the replay fields ({@code
 * attemptsBeforeReplay}, {@code replayedAt}); {@link #WITH_POLICY} is the third followed by the
 * delivery-policy fields ({@code queue}, {@code orderingKey}). Writers use the first layout that
 * holds the job ({@link #layoutOf}), so values of jobs never replayed stay byte-identical to what
 * earlier builds wrote and read.
 */
public final class JobBinary {
  public static final int PLAIN = 1;
  public static final int WITH_RESPONSES = 2;
  public static final int WITH_REPLAY = 3;
  public static final int WITH_POLICY = 4;

  private JobBinary() {}

  /** The first layout that holds {@code job}. */
  public static int layoutOf(JobRecord job) {
    if (!job.queue().equals(JobRecord.DEFAULT_QUEUE) || job.orderingKey() != null) {
      return WITH_POLICY;
    }
    if (job.attemptsBeforeReplay() != 0 || job.replayedAt() != null) {
      return WITH_REPLAY;
    }
    return hasResponses(job) ? WITH_RESPONSES : PLAIN;
  }

  /** Whether {@code job} needs the layout with responses: one of its attempts kept one. */
  public static boolean hasResponses(JobRecord job) {
    for (AttemptRecord a : job.attempts()) {
      if (a.response() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param withResponses the second layout; must be true when {@link #hasResponses} is
   */
  public static void writeJob(BinaryOut out, JobRecord job, boolean withResponses) {
    writeJob(out, job, withResponses ? WITH_RESPONSES : PLAIN);
  }

  /**
   * @param layout one of the layouts, at least {@link #layoutOf} the job
   */
  public static void writeJob(BinaryOut out, JobRecord job, int layout) {
    if (layout < layoutOf(job) || layout > WITH_POLICY) {
      throw new IllegalArgumentException(
          "job " + job.id() + " needs layout " + layoutOf(job) + ", not " + layout);
    }
    boolean withResponses = layout >= WITH_RESPONSES;
    out.writeString(job.id());
    out.writeString(job.shardId());
    out.writeByte(stateCode(job.state()));
    out.writeString(job.url());
    out.writeString(job.method());
    out.writeStringMap(job.headers());
    out.writeString(job.body());
    out.writeString(job.idempotencyKey());
    out.writeLong(job.timeout().toMillis());
    writeRetry(out, job.retry());
    out.writeInstant(job.createdAt());
    out.writeInstant(job.nextAttemptAt());
    out.writeInstant(job.finishedAt());
    List<AttemptRecord> attempts = job.attempts();
    out.writeCount(attempts.size());
    for (AttemptRecord a : attempts) {
      out.writeInt(a.number());
      out.writeInstant(a.startedAt());
      out.writeLong(a.duration().toMillis());
      out.writeNullableInt(a.statusCode());
      out.writeString(a.error());
      if (withResponses) {
        writeResponse(out, a.response());
      }
    }
    if (layout >= WITH_REPLAY) {
      out.writeInt(job.attemptsBeforeReplay());
      out.writeInstant(job.replayedAt());
    }
    if (layout >= WITH_POLICY) {
      out.writeString(job.queue());
      out.writeString(job.orderingKey());
    }
  }

  /**
   * @param withResponses the second layout
   */
  public static JobRecord readJob(BinaryIn in, boolean withResponses) {
    return readJob(in, withResponses ? WITH_RESPONSES : PLAIN);
  }

  /**
   * @param layout the layout the value was written in
   */
  public static JobRecord readJob(BinaryIn in, int layout) {
    if (layout < PLAIN || layout > WITH_POLICY) {
      throw new IllegalArgumentException("malformed binary value: job layout " + layout);
    }
    boolean withResponses = layout >= WITH_RESPONSES;
    String id = in.readString();
    String shardId = in.readString();
    JobState state = state(in.readByte());
    String url = in.readString();
    String method = in.readString();
    Map<String, String> headers = in.readStringMap();
    String body = in.readString();
    String idempotencyKey = in.readString();
    Duration timeout = Duration.ofMillis(in.readLong());
    RetrySettings retry = readRetry(in);
    Instant createdAt = in.readInstant();
    Instant nextAttemptAt = in.readInstant();
    Instant finishedAt = in.readInstant();
    int count = in.readCount();
    List<AttemptRecord> attempts = count < 0 ? null : new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      attempts.add(
          new AttemptRecord(
              in.readInt(),
              in.readInstant(),
              Duration.ofMillis(in.readLong()),
              in.readNullableInt(),
              in.readString(),
              withResponses ? readResponse(in) : null));
    }
    int attemptsBeforeReplay = layout >= WITH_REPLAY ? in.readInt() : 0;
    Instant replayedAt = layout >= WITH_REPLAY ? in.readInstant() : null;
    String queue = layout >= WITH_POLICY ? in.readString() : null;
    String orderingKey = layout >= WITH_POLICY ? in.readString() : null;
    return new JobRecord(
        id,
        shardId,
        state,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeout,
        retry,
        createdAt,
        nextAttemptAt,
        finishedAt,
        attempts,
        attemptsBeforeReplay,
        replayedAt,
        queue,
        orderingKey);
  }

  /** A presence flag, then the headers, the body and whether it was cut. */
  public static void writeResponse(BinaryOut out, CapturedResponse response) {
    out.writeBoolean(response != null);
    if (response != null) {
      out.writeStringMap(response.headers());
      out.writeString(response.body());
      out.writeBoolean(response.bodyTruncated());
    }
  }

  public static CapturedResponse readResponse(BinaryIn in) {
    if (!in.readBoolean()) {
      return null;
    }
    return new CapturedResponse(in.readStringMap(), in.readString(), in.readBoolean());
  }

  /**
   * A present policy with each field present. The format keeps a presence flag for the policy and
   * each field; a value without them reads as {@link RetrySettings#DEFAULTS}, field by field.
   */
  public static void writeRetry(BinaryOut out, RetrySettings retry) {
    out.writeBoolean(true);
    out.writeNullableInt(retry.maxAttempts());
    out.writeNullableLong(retry.initialBackoff().toMillis());
    out.writeNullableLong(retry.maxBackoff().toMillis());
    out.writeNullableDouble(retry.multiplier());
    out.writeNullableLong(retry.maxRetryDuration().toMillis());
  }

  public static RetrySettings readRetry(BinaryIn in) {
    RetrySettings d = RetrySettings.DEFAULTS;
    if (!in.readBoolean()) {
      return d;
    }
    Integer maxAttempts = in.readNullableInt();
    Long initialBackoffMs = in.readNullableLong();
    Long maxBackoffMs = in.readNullableLong();
    Double multiplier = in.readNullableDouble();
    Long maxRetryDurationMs = in.readNullableLong();
    return new RetrySettings(
        maxAttempts == null ? d.maxAttempts() : maxAttempts,
        initialBackoffMs == null ? d.initialBackoff() : Duration.ofMillis(initialBackoffMs),
        maxBackoffMs == null ? d.maxBackoff() : Duration.ofMillis(maxBackoffMs),
        multiplier == null ? d.multiplier() : multiplier,
        maxRetryDurationMs == null ? d.maxRetryDuration() : Duration.ofMillis(maxRetryDurationMs));
  }

  // Fixed codes rather than ordinals, so reordering the enum cannot silently change stored data.
  // Code 2 was a RUNNING state that the shard never stored.
  private static int stateCode(JobState state) {
    if (state == null) {
      return 0;
    }
    return switch (state) {
      case PENDING -> 1;
      case SUCCEEDED -> 3;
      case FAILED -> 4;
      case CANCELLED -> 5;
    };
  }

  private static JobState state(int code) {
    return switch (code) {
      case 0 -> null;
      case 1 -> JobState.PENDING;
      case 3 -> JobState.SUCCEEDED;
      case 4 -> JobState.FAILED;
      case 5 -> JobState.CANCELLED;
      default -> throw new IllegalArgumentException("malformed binary value: job state " + code);
    };
  }
}
