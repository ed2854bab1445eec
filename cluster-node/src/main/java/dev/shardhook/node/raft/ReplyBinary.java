package dev.shardhook.node.raft;

import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import dev.shardhook.node.codec.OperationBinary;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.SubmitResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary layout of replies and query answers: a version byte, then the value. A submit entry's
 * reply is a count, then per result a kind code and the job; every replica builds it when it
 * applies the entry, so it is on the per-job path. A cancel reply is a kind code and the job, a
 * purge reply the number of jobs removed, a read the job.
 *
 * <p>Version 1 carries jobs without captured responses, version 2 jobs whose attempts kept one
 * ({@link JobBinary}), version 3 replayed jobs (layout {@link JobBinary#WITH_REPLAY}), version 4
 * jobs with a queue or ordering key ({@link JobBinary#WITH_POLICY}); a reply uses the lowest
 * version that holds its jobs, so it stays what earlier builds wrote.
 */
final class ReplyBinary {
  static final int VERSION = 1;
  static final int VERSION_WITH_RESPONSES = 2;
  static final int VERSION_WITH_REPLAY = 3;
  static final int VERSION_WITH_POLICY = 4;

  private ReplyBinary() {}

  /** Takes the untyped reply of a submit entry; each element must be a {@link SubmitResult}. */
  static byte[] encodeSubmitResults(List<?> results) {
    BinaryOut out = new BinaryOut(64 + 256 * results.size());
    int layout = JobBinary.PLAIN;
    for (Object element : results) {
      SubmitResult result = (SubmitResult) element;
      layout = Math.max(layout, layoutOf(result == null ? null : result.job()));
    }
    out.writeByte(layout);
    out.writeCount(results.size());
    for (Object element : results) {
      SubmitResult result = (SubmitResult) element;
      out.writeBoolean(result != null);
      if (result == null) {
        continue;
      }
      out.writeByte(kindCode(result.kind()));
      writeNullableJob(out, result.job(), layout);
    }
    return out.toByteArray();
  }

  static List<SubmitResult> decodeSubmitResults(byte[] bytes) {
    BinaryIn in = open(bytes, "submit reply", VERSION_WITH_POLICY);
    int layout = bytes[0];
    int count = in.readCount();
    if (count < 0) {
      throw new IllegalArgumentException("malformed binary value: null submit results");
    }
    List<SubmitResult> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (!in.readBoolean()) {
        results.add(null);
        continue;
      }
      SubmitResult.Kind kind = kind(in.readByte());
      results.add(new SubmitResult(kind, readNullableJob(in, layout)));
    }
    in.expectEnd();
    return results;
  }

  static byte[] encodeCancel(CancelResult result) {
    BinaryOut out = new BinaryOut(256);
    int layout = layoutOf(result.job());
    out.writeByte(layout);
    out.writeByte(
        switch (result.kind()) {
          case CANCELLED -> 1;
          case ALREADY_FINISHED -> 2;
          case NOT_FOUND -> 3;
        });
    writeNullableJob(out, result.job(), layout);
    return out.toByteArray();
  }

  static CancelResult decodeCancel(byte[] bytes) {
    BinaryIn in = open(bytes, "cancel reply", VERSION_WITH_POLICY);
    int code = in.readByte();
    CancelResult.Kind kind =
        switch (code) {
          case 1 -> CancelResult.Kind.CANCELLED;
          case 2 -> CancelResult.Kind.ALREADY_FINISHED;
          case 3 -> CancelResult.Kind.NOT_FOUND;
          default ->
              throw new IllegalArgumentException("malformed binary value: cancel kind " + code);
        };
    CancelResult result = new CancelResult(kind, readNullableJob(in, bytes[0]));
    in.expectEnd();
    return result;
  }

  /** A replay entry's reply: a count, then per job a kind code and the job. */
  static byte[] encodeReplayResults(List<ReplayResult> results) {
    BinaryOut out = new BinaryOut(64 + 256 * results.size());
    int layout = JobBinary.PLAIN;
    for (ReplayResult result : results) {
      layout = Math.max(layout, layoutOf(result.job()));
    }
    out.writeByte(layout);
    out.writeCount(results.size());
    for (ReplayResult result : results) {
      out.writeByte(
          switch (result.kind()) {
            case REPLAYED -> 1;
            case NOT_REPLAYABLE -> 2;
            case NOT_FOUND -> 3;
            case QUEUE_FULL -> 4;
          });
      writeNullableJob(out, result.job(), layout);
    }
    return out.toByteArray();
  }

  static List<ReplayResult> decodeReplayResults(byte[] bytes) {
    BinaryIn in = open(bytes, "replay reply", VERSION_WITH_POLICY);
    int count = in.readCount();
    if (count < 0) {
      throw new IllegalArgumentException("malformed binary value: null replay results");
    }
    List<ReplayResult> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int code = in.readByte();
      ReplayResult.Kind kind =
          switch (code) {
            case 1 -> ReplayResult.Kind.REPLAYED;
            case 2 -> ReplayResult.Kind.NOT_REPLAYABLE;
            case 3 -> ReplayResult.Kind.NOT_FOUND;
            case 4 -> ReplayResult.Kind.QUEUE_FULL;
            default ->
                throw new IllegalArgumentException("malformed binary value: replay kind " + code);
          };
      results.add(new ReplayResult(kind, readNullableJob(in, bytes[0])));
    }
    in.expectEnd();
    return results;
  }

  /** A start's reply: a kind code and the operation. */
  static byte[] encodeOperationResult(OperationResult result) {
    BinaryOut out = new BinaryOut(128);
    out.writeByte(VERSION);
    out.writeByte(
        switch (result.kind()) {
          case STARTED -> 1;
          case EXISTING -> 2;
          case MISMATCH -> 3;
        });
    OperationBinary.write(out, result.operation());
    return out.toByteArray();
  }

  static OperationResult decodeOperationResult(byte[] bytes) {
    BinaryIn in = open(bytes, "operation reply", VERSION);
    int code = in.readByte();
    OperationResult.Kind kind =
        switch (code) {
          case 1 -> OperationResult.Kind.STARTED;
          case 2 -> OperationResult.Kind.EXISTING;
          case 3 -> OperationResult.Kind.MISMATCH;
          default ->
              throw new IllegalArgumentException("malformed binary value: operation kind " + code);
        };
    OperationResult result = new OperationResult(kind, OperationBinary.read(in));
    in.expectEnd();
    return result;
  }

  static byte[] encodeJob(JobRecord job) {
    BinaryOut out = new BinaryOut(256 + (job.body() == null ? 0 : job.body().length()));
    int layout = JobBinary.layoutOf(job);
    out.writeByte(layout);
    JobBinary.writeJob(out, job, layout);
    return out.toByteArray();
  }

  static JobRecord decodeJob(byte[] bytes) {
    BinaryIn in = open(bytes, "job", VERSION_WITH_POLICY);
    JobRecord job = JobBinary.readJob(in, (int) bytes[0]);
    in.expectEnd();
    return job;
  }

  static byte[] encodeCount(long count) {
    BinaryOut out = new BinaryOut(16);
    out.writeByte(VERSION);
    out.writeLong(count);
    return out.toByteArray();
  }

  static long decodeCount(byte[] bytes) {
    BinaryIn in = open(bytes, "count", VERSION);
    long count = in.readLong();
    in.expectEnd();
    return count;
  }

  private static BinaryIn open(byte[] bytes, String what, int newestVersion) {
    if (bytes.length == 0 || bytes[0] < VERSION || bytes[0] > newestVersion) {
      throw new IllegalArgumentException(
          "unknown "
              + what
              + " format version "
              + (bytes.length == 0 ? "(empty)" : String.valueOf(bytes[0])));
    }
    return new BinaryIn(bytes, 1, bytes.length - 1);
  }

  private static int layoutOf(JobRecord job) {
    return job == null ? JobBinary.PLAIN : JobBinary.layoutOf(job);
  }

  private static void writeNullableJob(BinaryOut out, JobRecord job, int layout) {
    out.writeBoolean(job != null);
    if (job != null) {
      JobBinary.writeJob(out, job, layout);
    }
  }

  private static JobRecord readNullableJob(BinaryIn in, int layout) {
    return in.readBoolean() ? JobBinary.readJob(in, layout) : null;
  }

  // Fixed codes rather than ordinals, so reordering an enum cannot change the wire format.
  private static int kindCode(SubmitResult.Kind kind) {
    if (kind == null) {
      return 0;
    }
    return switch (kind) {
      case CREATED -> 1;
      case REPLAYED -> 2;
      case MISMATCH -> 3;
      case QUEUE_FULL -> 4;
      case UNAPPLICABLE -> 5;
    };
  }

  private static SubmitResult.Kind kind(int code) {
    return switch (code) {
      case 0 -> null;
      case 1 -> SubmitResult.Kind.CREATED;
      case 2 -> SubmitResult.Kind.REPLAYED;
      case 3 -> SubmitResult.Kind.MISMATCH;
      case 4 -> SubmitResult.Kind.QUEUE_FULL;
      case 5 -> SubmitResult.Kind.UNAPPLICABLE;
      default -> throw new IllegalArgumentException("malformed binary value: submit kind " + code);
    };
  }
}
