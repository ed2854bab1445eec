package dev.shardhook.api;

import java.util.Map;

/**
 * What an attempt kept of the receiver's answer: selected headers and the first bytes of the body
 * (README, "Attempt log").
 *
 * @param headers allowed response headers with lower-case names (never {@code Set-Cookie} or other
 *     sensitive ones); empty when none was kept
 * @param body the first bytes of the body (the node's {@code --response-capture-bytes}) decoded as
 *     UTF-8, bytes that are not UTF-8 replaced by U+FFFD; empty for an empty body
 * @param bodyTruncated true when the receiver's body went on past {@code body}
 */
public record AttemptResponse(Map<String, String> headers, String body, boolean bodyTruncated) {
  public AttemptResponse {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? "" : body;
  }
}
