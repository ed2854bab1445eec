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

  /**
   * At most the bytes this takes in a log entry (three per UTF-8 char, plus lengths): what batching
   * outcomes into entries weighs it at. A binary body's U+FFFD take three bytes per byte received.
   */
  public int encodedBytesAtMost() {
    long chars = body.length();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      chars += h.getKey().length() + h.getValue().length();
    }
    return (int) Math.min(Integer.MAX_VALUE / 2, 16 + 10L * headers.size() + 3 * chars);
  }
}
