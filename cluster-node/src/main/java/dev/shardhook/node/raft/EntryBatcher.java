package dev.shardhook.node.raft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent callers' items share one Raft entry. The flusher waits at most {@code
 * maxDelay} (or until {@code maxItems} / {@code maxBytes}) to fill an entry, and keeps at most
 * {@code maxInFlight} entries outstanding, so under load entries grow instead of multiplying.
 *
 * <p>Items that wait longer than {@code maxWait} to be sent fail with {@code expired} and are never
 * sent: their caller has been told they were not submitted, so they must not take effect.
 */
final class EntryBatcher<T, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EntryBatcher.class);

  private record Pending<T, R>(
      List<T> items, int bytes, CompletableFuture<List<R>> result, AtomicBoolean claimed) {
    /** True for exactly one of: the flusher sending it, or its wait expiring. */
    boolean claim() {
      return claimed.compareAndSet(false, true);
    }
  }

  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final Function<List<T>, CompletableFuture<List<R>>> flush;
  private final ToIntFunction<T> weigher;
  private final int maxItems;
  private final int maxBytes;
  private final long maxDelayNanos;
  private final Executor expiry;
  private final Supplier<RuntimeException> expired;
  private final Semaphore inFlight;
  private final Thread flusher;
  private final java.util.concurrent.atomic.AtomicInteger outstanding =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;

  EntryBatcher(
      String name,
      int maxItems,
      int maxBytes,
      Duration maxDelay,
      int maxInFlight,
      Duration maxWait,
      Supplier<RuntimeException> expired,
      ToIntFunction<T> weigher,
      Function<List<T>, CompletableFuture<List<R>>> flush) {
    this.flush = flush;
    this.weigher = weigher;
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
    this.maxDelayNanos = maxDelay.toNanos();
    this.expiry = CompletableFuture.delayedExecutor(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    this.expired = expired;
    this.inFlight = new Semaphore(maxInFlight);
    this.flusher = Thread.ofVirtual().name(name).start(this::run);
  }

  /** Queues the items; the future completes with their results, in order. */
  CompletableFuture<List<R>> add(List<T> items) {
    CompletableFuture<List<R>> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException("batcher closed"));
      return result;
    }
    int bytes = 0;
    for (T item : items) {
      bytes += weigher.applyAsInt(item);
    }
    outstanding.incrementAndGet();
    result.whenComplete((r, e) -> outstanding.decrementAndGet());
    Pending<T, R> pending = new Pending<>(List.copyOf(items), bytes, result, new AtomicBoolean());
    queue.add(pending);
    expiry.execute(
        () -> {
          if (pending.claim()) {
            result.completeExceptionally(expired.get());
          }
        });
    return result;
  }

  private void run() {
    Pending<T, R> carry = null;
    while (!closed) {
      boolean permit = false;
      try {
        // The window first: items wait unclaimed in the queue while it is full, so they can
        // still expire there instead of being sent after their caller gave up.
        inFlight.acquire();
        permit = true;
        Pending<T, R> first = carry != null ? carry : queue.take();
        carry = null;
        if (!first.claim()) {
          continue;
        }
        List<Pending<T, R>> group = new ArrayList<>();
        group.add(first);
        int items = first.items().size();
        int bytes = first.bytes();
        long deadline = System.nanoTime() + maxDelayNanos;
        while (items < maxItems) {
          long left = deadline - System.nanoTime();
          Pending<T, R> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          if (items + next.items().size() > maxItems || bytes + next.bytes() > maxBytes) {
            carry = next;
            break;
          }
          if (!next.claim()) {
            continue;
          }
          group.add(next);
          items += next.items().size();
          bytes += next.bytes();
        }
        permit = false;
        send(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        LOG.error("group commit loop failed; continuing", t);
      } finally {
        if (permit) {
          inFlight.release();
        }
      }
    }
  }

  private void send(List<Pending<T, R>> group) {
    List<T> all = new ArrayList<>();
    group.forEach(p -> all.addAll(p.items()));
    CompletableFuture<List<R>> sent;
    try {
      sent = flush.apply(all);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete(
        (results, error) -> {
          inFlight.release();
          int offset = 0;
          for (Pending<T, R> p : group) {
            if (error != null) {
              p.result().completeExceptionally(error);
            } else {
              int n = p.items().size();
              p.result().complete(results == null ? null : results.subList(offset, offset + n));
              offset += n;
            }
          }
        });
  }

  /** Waits until everything added so far has been flushed and answered. */
  boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outstanding.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    flusher.interrupt();
    Pending<T, R> p;
    while ((p = queue.poll()) != null) {
      if (p.claim()) {
        p.result().completeExceptionally(expired.get());
      }
    }
  }
}
