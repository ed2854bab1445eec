package dev.shardhook.node.delivery;

import java.net.UnknownHostException;

/**
 * A webhook host that resolved only to addresses Shardhook refuses to call. An {@link
 * UnknownHostException} so OkHttp reports it from its DNS step like any lookup failure; delivery
 * turns it into a permanent failure.
 */
public final class RefusedTargetException extends UnknownHostException {
  public RefusedTargetException(String message) {
    super(message);
  }
}
