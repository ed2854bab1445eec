package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.support.config.BreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class DispatchMetricsTest {
  @Test
  void theQueuedGaugeStillReadsItsSupplierAfterACollection() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger queued = new AtomicInteger(7);
    IntSupplier supplier = queued::get;
    WeakReference<IntSupplier> onlyTheGauge = new WeakReference<>(supplier);
    new DispatchMetrics(
        registry,
        new AtomicInteger(),
        supplier,
        new DestinationStates(
            DestinationPolicy.never(),
            new BreakerConfig(Duration.ofSeconds(10), 50, 20, 50, 5).circuitBreakerConfig(),
            64));
    supplier = null;
    System.gc();

    // Held weakly, the supplier was collected at once and the gauge read NaN.
    assertThat(onlyTheGauge.get()).isNotNull();
    assertThat(registry.get("shardhook.dispatcher.queued").gauge().value()).isEqualTo(7.0);
  }
}
