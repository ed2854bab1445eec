package dev.shardhook.node.http;

import java.util.Map;

/**
 * A protocol-level failure with no {@link dev.shardhook.node.NodeException} of its own (unknown
 * path, wrong method, wrong media type); its problem type is named after the status.
 */
final class HttpProblemException extends RuntimeException {
  private final int status;
  private final Map<String, String> headers;

  HttpProblemException(int status, String detail) {
    this(status, detail, Map.of());
  }

  HttpProblemException(int status, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  /** Headers the answer must carry, such as {@code Allow} on a 405. */
  Map<String, String> headers() {
    return headers;
  }
}
