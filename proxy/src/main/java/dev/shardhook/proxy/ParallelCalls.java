package dev.shardhook.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;

/**
 * Runs one blocking call per key on virtual threads and waits for all of them. A call's failure
 * stays with its key: one shard failing its sub-batch must not lose the answers of the others.
 */
public final class ParallelCalls {
  /** What one call gave: its value, or what it threw. */
  public record Outcome<R>(R value, Throwable failure) {}

  private ParallelCalls() {}

  /**
   * @param maxConcurrent how many calls may run at once
   * @return by key, in the order of {@code inputs}
   */
  public static <K, V, R> Map<K, Outcome<R>> run(
      Map<K, V> inputs, int maxConcurrent, BiFunction<K, V, R> call) {
    Semaphore permits = new Semaphore(maxConcurrent);
    Map<K, Future<R>> futures = new LinkedHashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      inputs.forEach(
          (k, v) ->
              futures.put(
                  k,
                  threads.submit(
                      () -> {
                        permits.acquire();
                        try {
                          return call.apply(k, v);
                        } finally {
                          permits.release();
                        }
                      })));
    } // close() waits for every call
    Map<K, Outcome<R>> outcomes = new LinkedHashMap<>();
    futures.forEach(
        (k, f) -> {
          try {
            outcomes.put(k, new Outcome<>(f.get(), null));
          } catch (ExecutionException e) {
            outcomes.put(k, new Outcome<>(null, e.getCause()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcomes.put(k, new Outcome<>(null, e));
          }
        });
    return outcomes;
  }
}
