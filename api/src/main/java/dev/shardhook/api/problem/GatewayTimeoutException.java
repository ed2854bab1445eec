package dev.shardhook.api.problem;

/**
 * The shard did not answer a proxy within its forward timeout; the request may still take effect.
 */
public final class GatewayTimeoutException extends ProblemException {
  public GatewayTimeoutException(String message) {
    super(504, ProblemTypes.GATEWAY_TIMEOUT, "Gateway timeout", message, null);
  }
}
