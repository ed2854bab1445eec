package dev.shardhook.node.raft;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardhook.client.internal.WireJson;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.SubmitResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/** JSON encoding of commands, replies and queries as Raft messages. */
final class CommandCodec {
  private static final ObjectMapper JSON = WireJson.mapper();
  private static final TypeReference<List<SubmitResult>> SUBMIT_RESULTS = new TypeReference<>() {};
  static final String GET_PREFIX = "get:";

  private CommandCodec() {}

  static ByteString encode(Command command) {
    return ByteString.copyFrom(bytes(command));
  }

  static Command decode(ByteString bytes) {
    try {
      return JSON.readValue(bytes.newInput(), Command.class);
    } catch (IOException e) {
      throw new UncheckedIOException("undecodable log entry", e);
    }
  }

  static Message message(Object value) {
    return Message.valueOf(ByteString.copyFrom(bytes(value)));
  }

  static List<SubmitResult> submitResults(ByteString bytes) {
    return read(bytes, SUBMIT_RESULTS);
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
