package dev.shardhook.node.raft;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardhook.api.WireJson;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.SubmitResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Commands, replies and queries as Raft messages. Commands and submit replies are binary ({@link
 * CommandBinary}, {@link SubmitResultsBinary}) because every replica handles them per entry; the
 * rarer replies and queries stay JSON. Bytes starting with {@code '{'} or {@code '['} are JSON from
 * an earlier build and still decode, so an existing Raft log replays.
 */
final class CommandCodec {
  private static final ObjectMapper JSON = WireJson.mapper();
  private static final TypeReference<List<SubmitResult>> SUBMIT_RESULTS = new TypeReference<>() {};
  static final String GET_PREFIX = "get:";

  private CommandCodec() {}

  static ByteString encode(Command command) {
    // The array is fresh and never written again, so wrapping it without a copy is safe.
    return UnsafeByteOperations.unsafeWrap(CommandBinary.encode(command));
  }

  static Command decode(ByteString bytes) {
    try {
      if (!bytes.isEmpty() && bytes.byteAt(0) == '{') {
        return JSON.readValue(bytes.newInput(), Command.class);
      }
      return CommandBinary.decode(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable log entry", e);
    } catch (RuntimeException e) {
      throw new UncheckedIOException("undecodable log entry", new IOException(e.getMessage(), e));
    }
  }

  /** A command as a client request, in the log entry format so the leader decodes it as one. */
  static Message proposal(Command command) {
    return Message.valueOf(encode(command));
  }

  /** An applied entry's reply: submit results in binary, anything else as JSON. */
  static Message reply(Object reply) {
    if (reply == null) {
      return Message.EMPTY;
    }
    if (reply instanceof List<?> results) {
      return Message.valueOf(UnsafeByteOperations.unsafeWrap(SubmitResultsBinary.encode(results)));
    }
    return message(reply);
  }

  static Message message(Object value) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes(value)));
  }

  static List<SubmitResult> submitResults(ByteString bytes) {
    if (!bytes.isEmpty() && bytes.byteAt(0) == '[') {
      return read(bytes, SUBMIT_RESULTS);
    }
    try {
      return SubmitResultsBinary.decode(bytes.toByteArray());
    } catch (RuntimeException e) {
      throw new UncheckedIOException(
          "undecodable submit reply", new IOException(e.getMessage(), e));
    }
  }

  static CancelResult cancelResult(ByteString bytes) {
    return read(bytes, new TypeReference<CancelResult>() {});
  }

  static <T> Optional<T> optional(ByteString bytes, Class<T> type) {
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(bytes.newInput(), type));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(ByteString bytes, TypeReference<T> type) {
    try {
      return JSON.readValue(bytes.newInput(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
