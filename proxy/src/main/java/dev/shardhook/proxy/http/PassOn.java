package dev.shardhook.proxy.http;

import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.support.http.Exchange;

/** Passes a node's answer on to the client unchanged: status, body, media type, passed headers. */
final class PassOn {
  private PassOn() {}

  static void answer(Exchange exchange, NodeAnswer answer) {
    exchange.send(answer.status(), answer.contentType(), answer.headers(), answer.body());
  }
}
