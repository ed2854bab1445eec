package dev.shardhook.api.problem;

/** A request or job body over the configured limit. */
public final class PayloadTooLargeException extends ProblemException {
  public PayloadTooLargeException(String message) {
    super(413, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large", message, null);
  }
}
