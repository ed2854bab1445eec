package dev.shardhook.proxy;

/** Answers one method on one route; failures it throws are answered as problems. */
@FunctionalInterface
interface Endpoint {
  void handle(Exchange exchange) throws Exception;
}
