package dev.shardhook.proxy.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.support.http.RequestJson;

/**
 * Request bodies as JSON trees. The proxy reads only what routing needs ({@code id}, {@code
 * idempotencyKey}) and leaves the rest to the node, so it keeps documents as trees, and reads
 * decimals as {@code BigDecimal} with their trailing zeros: a body it has to rewrite (to add a
 * generated id) reaches the node with the same numbers the client wrote.
 */
public final class ProxyJson {
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
  public static JsonNode read(byte[] body) {
    return RequestJson.readTree(body, TREES);
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
}
