package dev.shardhook.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardhook.api.Problem;
import dev.shardhook.api.WireJson;
import java.io.IOException;

/**
 * The wire mapper as a client needs it: it writes exactly what the shard reads, and reads answers
 * leniently, so a newer server that adds a field does not break an older client.
 */
final class ClientJson {
  private static final ObjectMapper READER =
      WireJson.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ClientJson() {}

  static byte[] write(Object value) {
    try {
      return WireJson.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(ApiCall call, ApiResponse response, Class<T> type) {
    try {
      return READER.readValue(response.body(), type);
    } catch (IOException e) {
      throw unreadable(call, response, e);
    }
  }

  static <T> T read(ApiCall call, ApiResponse response, TypeReference<T> type) {
    try {
      return READER.readValue(response.body(), type);
    } catch (IOException e) {
      throw unreadable(call, response, e);
    }
  }

  /** A problem document, or null when {@code body} is not one. */
  static Problem problemOrNull(byte[] body) {
    try {
      Problem p = READER.readValue(body, Problem.class);
      return p != null && p.title() != null ? p : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static ShardhookException unreadable(ApiCall call, ApiResponse response, IOException e) {
    return new ShardhookException(
        call.describe() + ": " + response.status() + " with an unreadable body: " + e.getMessage(),
        response.status(),
        null,
        e);
  }
}
