package dev.shardhook.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Runs a blocking call on its own virtual thread and completes a future with its outcome.
 * Cancelling the future interrupts the thread, which ends a wait between attempts at once and an
 * exchange in progress as soon as its socket notices.
 */
final class VirtualThreadCalls {
  private final ThreadFactory threads = Thread.ofVirtual().name("shardhook-client-", 0).factory();

  <T> CompletableFuture<T> supply(Supplier<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread thread =
        threads.newThread(
            () -> {
              try {
                future.complete(call.get());
              } catch (Throwable t) {
                future.completeExceptionally(t);
              }
            });
    future.whenComplete(
        (result, failure) -> {
          if (future.isCancelled()) {
            thread.interrupt();
          }
        });
    thread.start();
    return future;
  }
}
