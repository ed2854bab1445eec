package dev.shardhook.node.raft;

import dev.shardhook.node.codec.ScheduleBinary;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.job.SubmitResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Commands, replies and queries as Raft messages, all binary: commands in {@link CommandBinary},
 * replies and read answers in {@link ReplyBinary}.
 */
final class CommandCodec {
  static final String GET_PREFIX = "get:";

  private CommandCodec() {}

  static ByteString encode(Command command) {
    // The array is fresh and never written again, so wrapping it without a copy is safe.
    return UnsafeByteOperations.unsafeWrap(CommandBinary.encode(command));
  }

  static Command decode(ByteString bytes) {
    try {
      return CommandBinary.decode(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("log entry", e);
    }
  }

  /** A command as a client request, in the log entry format so the leader decodes it as one. */
  static Message proposal(Command command) {
    return Message.valueOf(encode(command));
  }

  /**
   * An applied entry's reply: submit results (a list), a {@link CancelResult}, a replay's results,
   * a purge's count (a {@link Long}), or none.
   */
  static Message reply(Object reply) {
    return switch (reply) {
      case null -> Message.EMPTY;
      case List<?> results -> wrap(ReplyBinary.encodeSubmitResults(results));
      case CancelResult cancel -> wrap(ReplyBinary.encodeCancel(cancel));
      case EntryApplier.ReplayReply replay ->
          wrap(ReplyBinary.encodeReplayResults(replay.results()));
      case OperationResult started -> wrap(ReplyBinary.encodeOperationResult(started));
      case Long count -> wrap(ReplyBinary.encodeCount(count));
      case ScheduleResult schedule -> wrap(ScheduleBinary.encodeResult(schedule));
      default ->
          throw new IllegalArgumentException("no reply format for " + reply.getClass().getName());
    };
  }

  static List<ReplayResult> replayResults(ByteString bytes) {
    try {
      return ReplyBinary.decodeReplayResults(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("replay reply", e);
    }
  }

  static OperationResult operationResult(ByteString bytes) {
    try {
      return ReplyBinary.decodeOperationResult(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("operation reply", e);
    }
  }

  static ScheduleResult scheduleResult(ByteString bytes) {
    try {
      return ScheduleBinary.decodeResult(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("schedule reply", e);
    }
  }

  /** The answer to a read of one job. */
  static Message message(JobRecord job) {
    return wrap(ReplyBinary.encodeJob(job));
  }

  static List<SubmitResult> submitResults(ByteString bytes) {
    try {
      return ReplyBinary.decodeSubmitResults(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("submit reply", e);
    }
  }

  static CancelResult cancelResult(ByteString bytes) {
    try {
      return ReplyBinary.decodeCancel(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("cancel reply", e);
    }
  }

  /** A read's answer: empty when the job is not there. */
  static Optional<JobRecord> job(ByteString bytes) {
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ReplyBinary.decodeJob(bytes.toByteArray()));
    } catch (RuntimeException e) {
      throw undecodable("read answer", e);
    }
  }

  /** A purge's reply: the number of jobs it removed (0 when the reply is empty). */
  static long purgedCount(ByteString bytes) {
    if (bytes.isEmpty()) {
      return 0;
    }
    try {
      return ReplyBinary.decodeCount(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw undecodable("purge reply", e);
    }
  }

  private static Message wrap(byte[] bytes) {
    // The array is fresh and never written again, so wrapping it without a copy is safe.
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  private static UncheckedIOException undecodable(String what, RuntimeException e) {
    return new UncheckedIOException("undecodable " + what, new IOException(e.getMessage(), e));
  }
}
