package dev.shardhook.node.raft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * sent: their caller has been told they were not submitted, so they must not take effect. One
 * sweeper watches the oldest waiting item instead of a timer per item: a timer holds its item (and
 * the job's body) for the whole {@code maxWait} even after it was answered, which under load kept
 * tens of thousands of answered jobs alive and the collector busy.
 */
final class EntryBatcher<T, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EntryBatcher.class);

  private record Pending<T, R>(
      List<T> items,
      int bytes,
      CompletableFuture<List<R>> result,
      AtomicBoolean claimed,
      long expiresAtNanos) {
    /** True for exactly one of: the flusher sending it, or its wait expiring. */
    boolean claim() {
      return claimed.compareAndSet(false, true);
    }

    boolean expiredAt(long nowNanos) {
      return nowNanos - expiresAtNanos >= 0;
    }
  }

  /** How long the sweeper sleeps at most, so that close() is noticed. */
  private static final long SWEEP_PARK_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final Function<List<T>, CompletableFuture<List<R>>> flush;
  private final ToIntFunction<T> weigher;
  private final int maxItems;
  private final int maxBytes;
  private final long maxDelayNanos;
  private final long maxWaitNanos;
  private final Supplier<RuntimeException> expired;
  private final Semaphore inFlight;
  private final Thread flusher;
  private final Thread sweeper;
  private final AtomicInteger outstanding = new AtomicInteger();
  // The item the flusher took from the queue but could not fit into the entry it was filling.
  private volatile Pending<T, R> carry;
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
    this.maxWaitNanos = maxWait.toNanos();
    this.expired = expired;
    this.inFlight = new Semaphore(maxInFlight);
    this.flusher = Thread.ofVirtual().name(name).start(this::run);
    this.sweeper = Thread.ofVirtual().name(name + "-expiry").start(this::sweep);
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
    Pending<T, R> pending =
        new Pending<>(
            List.copyOf(items),
            bytes,
            result,
            new AtomicBoolean(),
            System.nanoTime() + maxWaitNanos);
    queue.add(pending);
    return result;
  }

  /**
   * Fails items whose wait ran out. The queue is in arrival order with one {@code maxWait} for all,
   * so only its head (and the flusher's carried item, older than the head) can be due.
   */
  private void sweep() {
    while (!closed) {
      try {
        long now = System.nanoTime();
        Pending<T, R> held = carry;
        if (held != null && held.expiredAt(now)) {
          expire(held);
        }
        Pending<T, R> head = queue.peek();
        if (head != null && head.expiredAt(now)) {
          expire(head);
          queue.remove(head);
          continue;
        }
        long park = head == null ? SWEEP_PARK_MAX_NANOS : head.expiresAtNanos() - now;
        LockSupport.parkNanos(Math.min(Math.max(park, 1), SWEEP_PARK_MAX_NANOS));
      } catch (Throwable t) {
        LOG.error("group commit expiry failed; continuing", t);
      }
    }
  }

  private void expire(Pending<T, R> pending) {
    if (pending.claim()) {
      pending.result().completeExceptionally(expired.get());
    }
  }

  private void run() {
    while (!closed) {
      boolean permit = false;
      try {
        // The window first: items wait unclaimed in the queue while it is full, so they can
        // still expire there instead of being sent after their caller gave up.
        inFlight.acquire();
        permit = true;
        Pending<T, R> first = carry;
        if (first == null) {
          first = queue.take();
        } else {
          carry = null;
        }
        if (first.expiredAt(System.nanoTime())) {
          expire(first);
          continue;
        }
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
          if (next.expiredAt(System.nanoTime())) {
            expire(next);
            continue;
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
    sweeper.interrupt();
    Pending<T, R> held = carry;
    if (held != null) {
      expire(held);
    }
    Pending<T, R> p;
    while ((p = queue.poll()) != null) {
      if (p.claim()) {
        p.result().completeExceptionally(expired.get());
      }
    }
  }
}
