package dev.shardhook.proxy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardhook.api.WireJson;
import dev.shardhook.proxy.ProxyException.InvalidJobException;
import java.io.IOException;

/**
 * Request bodies as JSON trees. The proxy reads only what routing needs ({@code id}, {@code
 * idempotencyKey}) and leaves the rest to the node, so it keeps documents as trees, and reads
 * decimals as {@code BigDecimal} with their trailing zeros: a body it has to rewrite (to add a
 * generated id) reaches the node with the same numbers the client wrote.
 */
final class ProxyJson {
  private static final int MAX_DETAIL = 300;

  private static final ObjectMapper TREES =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  private ProxyJson() {}

  /**
   * The body as a tree.
   *
   * @throws InvalidJobException for an empty body or malformed JSON, worded as a node words it
   */
  static JsonNode read(byte[] body) {
    if (body.length == 0) {
      throw new InvalidJobException("request body: empty; expected JSON");
    }
    try {
      return TREES.readTree(body);
    } catch (IOException e) {
      throw new InvalidJobException(shorten(describe(e)));
    }
  }

  static byte[] write(JsonNode tree) {
    try {
      return TREES.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** A wire-model value (problem, batch item) as a tree, with the wire mapper's conventions. */
  static JsonNode tree(Object value) {
    return WireJson.mapper().valueToTree(value);
  }

  private static String describe(IOException e) {
    if (e instanceof JsonProcessingException p) {
      String where = e instanceof StreamReadException ? "malformed JSON" : "request body";
      return where + location(p.getLocation()) + ": " + p.getOriginalMessage();
    }
    return "request body: unreadable (" + e.getMessage() + ")";
  }

  private static String location(JsonLocation l) {
    if (l == null || l.getLineNr() < 1) {
      return "";
    }
    return " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static String shorten(String s) {
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }
}
