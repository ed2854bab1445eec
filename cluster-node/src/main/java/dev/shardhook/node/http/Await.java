package dev.shardhook.node.http;

import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.support.http.ProblemAnswers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocks a handler's virtual thread on a {@link dev.shardhook.node.job.JobService} future and
 * rethrows its failure unwrapped, so the handler sees the {@code ProblemException} it can answer.
 */
final class Await {
  /**
   * Backstop for a service that never completes its future; the Raft service gives up well before
   * this, so hitting it means a bug, and a client waiting for ever is the worse outcome.
   */
  static final Duration LIMIT = Duration.ofSeconds(30);

  private Await() {}

  static <T> T result(CompletableFuture<T> future) {
    try {
      return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = ProblemAnswers.unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CompletionException(cause);
    } catch (TimeoutException e) {
      throw new ShardUnavailableException(
          "the shard did not answer within " + LIMIT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShardUnavailableException("the node is shutting down", e);
    }
  }
}
