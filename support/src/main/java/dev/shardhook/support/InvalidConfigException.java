package dev.shardhook.support;

/** A bad flag, environment value or file named by one, found at start-up. */
public final class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
