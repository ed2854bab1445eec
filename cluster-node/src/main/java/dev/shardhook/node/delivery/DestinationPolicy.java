package dev.shardhook.node.delivery;

import dev.shardhook.node.queue.QueueConfig;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * When the dispatcher disables a destination, and what happens to its jobs then (README,
 * "Destinations").
 *
 * @param disableAfter a destination failing without a success for this long is disabled
 * @param disabled the replicated disabled destinations, and the way to propose one
 * @param onDisabled for a job's tenant and queue: whether its jobs wait or fail while disabled
 */
public record DestinationPolicy(
    Duration disableAfter,
    DisabledDestinations disabled,
    BiFunction<String, String, QueueConfig.OnDestinationDisabled> onDisabled) {
  public DestinationPolicy {
    if (disableAfter.isNegative() || disableAfter.isZero()) {
      throw new IllegalArgumentException("disableAfter must be positive: " + disableAfter);
    }
  }

  /** Never disables a destination. */
  public static DestinationPolicy never() {
    return new DestinationPolicy(
        Duration.ofDays(36_500),
        DisabledDestinations.NONE,
        (tenant, queue) -> QueueConfig.OnDestinationDisabled.WAIT);
  }
}
