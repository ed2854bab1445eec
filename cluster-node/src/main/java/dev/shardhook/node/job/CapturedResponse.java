package dev.shardhook.node.job;

import java.util.Map;

/**
 * What an attempt kept of the receiver's answer (README, "Attempt log"): the allowed headers and
 * the first bytes of the body.
 *
 * @param headers allowed response headers, lower-case names, in the order received; never null
 * @param body the first bytes of the body decoded as UTF-8 (undecodable bytes become U+FFFD); never
 *     null, empty for an empty body
 * @param bodyTruncated true when the body went on past what was kept
 */
public record CapturedResponse(Map<String, String> headers, String body, boolean bodyTruncated) {
  public CapturedResponse {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? "" : body;
  }
}
