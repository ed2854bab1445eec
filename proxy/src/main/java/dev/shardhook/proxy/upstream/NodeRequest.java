package dev.shardhook.proxy.upstream;

/**
 * A request the proxy sends to a shard on a client's behalf (proxyToNodeRequest).
 *
 * @param method HTTP method
 * @param path path on the node, starting with '/'
 * @param body JSON body, or null
 * @param idempotencyKey the client's {@code Idempotency-Key} header, passed on as is, or null
 * @param resendable whether it may go to another node after one may already have acted on it: true
 *     for submissions (their id is fixed, a second copy is a replay) and reads
 * @param credentials the client's, passed on
 */
public record NodeRequest(
    String method,
    String path,
    byte[] body,
    String idempotencyKey,
    boolean resendable,
    Credentials credentials) {

  public static NodeRequest post(
      String path, byte[] body, String idempotencyKey, Credentials credentials) {
    return new NodeRequest("POST", path, body, idempotencyKey, true, credentials);
  }

  public static NodeRequest get(String path, Credentials credentials) {
    return new NodeRequest("GET", path, null, null, true, credentials);
  }

  /**
   * A replay, with an empty body. Not resendable: a replay that took effect would come back as 409
   * from the second node.
   */
  public static NodeRequest replay(String path, Credentials credentials) {
    return new NodeRequest("POST", path, new byte[0], null, false, credentials);
  }

  /** Not resendable: a cancel that took effect would come back as 409 from the second node. */
  public static NodeRequest delete(String path, Credentials credentials) {
    return new NodeRequest("DELETE", path, null, null, false, credentials);
  }
}
