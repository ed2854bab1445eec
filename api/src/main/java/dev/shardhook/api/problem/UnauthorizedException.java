package dev.shardhook.api.problem;

import java.util.Map;

/**
 * The request carries no API key, or one no tenant holds. Answered with {@code WWW-Authenticate}
 * (RFC 6750), and the same way whether the key is unknown, revoked or malformed, so an answer tells
 * a guesser nothing.
 */
public final class UnauthorizedException extends ProblemException {
  static final String CHALLENGE = "Bearer realm=\"shardhook\"";

  private final boolean keyPresented;

  /**
   * @param keyPresented whether the request carried a key at all (the challenge then says {@code
   *     error="invalid_token"})
   */
  public UnauthorizedException(boolean keyPresented) {
    super(
        401,
        ProblemTypes.UNAUTHORIZED,
        "Unauthorized",
        keyPresented ? "the API key is not valid" : "send an API key: Authorization: Bearer <key>",
        null);
    this.keyPresented = keyPresented;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of(
        "WWW-Authenticate", keyPresented ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
  }
}
