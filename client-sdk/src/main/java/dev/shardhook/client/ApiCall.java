package dev.shardhook.client;

import java.util.List;
import java.util.Map;

/**
 * One logical call of the job API, before it is sent anywhere: the same value is sent again on
 * every retry, which is what keeps its {@code Idempotency-Key} stable.
 *
 * @param method HTTP method
 * @param path path segments below the endpoint, unencoded
 * @param body JSON body, or null
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param idempotent whether repeating the call after an ambiguous failure (the request may have
 *     been processed) is harmless
 * @param query query parameters, unencoded, in order
 */
record ApiCall(
    String method,
    List<String> path,
    byte[] body,
    String idempotencyKey,
    boolean idempotent,
    Map<String, String> query) {

  ApiCall {
    query = query == null ? Map.of() : query;
  }

  /** A call without query parameters. */
  ApiCall(
      String method, List<String> path, byte[] body, String idempotencyKey, boolean idempotent) {
    this(method, path, body, idempotencyKey, idempotent, Map.of());
  }

  static ApiCall post(String segment, byte[] json, String idempotencyKey) {
    return new ApiCall("POST", List.of(segment), json, idempotencyKey, true);
  }

  static ApiCall get(String id) {
    return new ApiCall("GET", List.of("jobs", id), null, null, true);
  }

  /** {@code GET /jobs} with {@code query}, kept in its order. */
  static ApiCall list(Map<String, String> query) {
    return new ApiCall("GET", List.of("jobs"), null, null, true, query);
  }

  static ApiCall delete(String id) {
    return new ApiCall("DELETE", List.of("jobs", id), null, null, false);
  }

  /**
   * {@code POST /jobs/{id}:replay}, with an empty body. Not idempotent: a replay that took effect
   * answers 409 the second time.
   */
  static ApiCall replay(String id) {
    return new ApiCall("POST", List.of("jobs", id + ":replay"), new byte[0], null, false);
  }

  /** {@code POST /jobs}, for messages. */
  String describe() {
    return method + " /" + String.join("/", path);
  }
}
