package dev.shardhook.node.delivery;

import dev.shardhook.node.job.AttemptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** The dispatcher's meters. */
final class DispatchMetrics {
  final Counter success;
  final Counter retryable;
  final Counter failed;
  final Counter permanent;
  final Counter errors;
  final Counter skippedQueueFull;
  final Counter skippedStale;
  final Counter skippedNoLease;
  final Timer latency;
  final Counter limitDecreases;

  DispatchMetrics(
      MeterRegistry registry,
      AtomicInteger running,
      IntSupplier queued,
      DestinationStates destinations) {
    success = attempts(registry, "success");
    retryable = attempts(registry, "retryable");
    failed = attempts(registry, "failed");
    permanent = attempts(registry, "permanent");
    errors =
        Counter.builder("shardhook.dispatcher.errors")
            .description("Unexpected errors in the dispatcher loop")
            .register(registry);
    skippedQueueFull = skipped(registry, "queue_full");
    skippedStale = skipped(registry, "stale_read");
    skippedNoLease = skipped(registry, "no_lease");
    latency =
        Timer.builder("shardhook.delivery.latency")
            .description("Duration of delivery attempts")
            .publishPercentileHistogram()
            .register(registry);
    // Per-host numbers are in GET /destinations: a host label here would be unbounded.
    limitDecreases =
        Counter.builder("shardhook.destination.limit.decreases")
            .description("Times a destination's adaptive concurrency limit went down")
            .register(registry);
    Gauge.builder("shardhook.destinations.open", destinations, DestinationStates::open)
        .description("Destinations whose circuit breaker is open (their jobs wait)")
        .register(registry);
    Gauge.builder("shardhook.destinations.disabled", destinations, d -> d.disabled().size())
        .description("Destinations disabled after failing too long (as last read by the leader)")
        .register(registry);
    Gauge.builder("shardhook.destinations.known", destinations, DestinationStates::known)
        .description("Destinations the leader's dispatcher keeps health for")
        .register(registry);
    Gauge.builder("shardhook.running", running, AtomicInteger::get)
        .description("Delivery attempts under way")
        .register(registry);
    // Held strongly: a gauge holds its object weakly, and nothing else holds this supplier (it
    // read NaN once collected).
    Gauge.builder("shardhook.dispatcher.queued", queued, IntSupplier::getAsInt)
        .description("Due jobs read and queued per destination, not started yet")
        .strongReference(true)
        .register(registry);
  }

  void record(AttemptOutcome o) {
    latency.record(o.durationMs(), TimeUnit.MILLISECONDS);
    Integer s = o.statusCode();
    if (s != null && s >= 200 && s <= 299) {
      success.increment();
    } else if (o.permanent()) {
      permanent.increment();
    } else if (RetryPolicy.isRetryable(s)) {
      retryable.increment();
    } else {
      failed.increment();
    }
  }

  private static Counter attempts(MeterRegistry registry, String outcome) {
    return Counter.builder("shardhook.attempts")
        .description("Delivery attempts by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter skipped(MeterRegistry registry, String reason) {
    return Counter.builder("shardhook.dispatcher.skipped")
        .description("Due jobs read but not started, by reason")
        .tag("reason", reason)
        .register(registry);
  }
}
