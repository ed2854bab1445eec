package dev.shardhook.support.http;

/** Answers one method on one route; failures it throws are answered as problems. */
@FunctionalInterface
public interface Endpoint {
  void handle(Exchange exchange) throws Exception;
}
