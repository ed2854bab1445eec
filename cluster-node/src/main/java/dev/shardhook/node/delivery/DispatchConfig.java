package dev.shardhook.node.delivery;

import dev.shardhook.support.config.BreakerConfig;
import java.time.Duration;

/**
 * What the leader's dispatcher needs (see {@link dev.shardhook.node.NodeSettings}).
 *
 * @param workers attempts in flight at once
 * @param perHostConcurrency attempts in flight at once to one destination
 * @param shutdownGrace how long closing waits for attempts in flight
 * @param destinationBreaker the circuit breaker of each destination host
 */
public record DispatchConfig(
    int workers,
    int perHostConcurrency,
    Duration shutdownGrace,
    BreakerConfig destinationBreaker) {}
