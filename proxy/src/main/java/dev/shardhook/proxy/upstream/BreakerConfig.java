package dev.shardhook.proxy.upstream;

import java.time.Duration;

/**
 * Each node's circuit breaker (see {@code ProxySettings}): it opens when at least {@code
 * failureRatePercent} of the last {@code window} calls failed, once {@code minCalls} were seen;
 * stays open for {@code openDuration}; then lets {@code halfOpenCalls} trial calls through.
 */
public record BreakerConfig(
    Duration openDuration, int window, int minCalls, int failureRatePercent, int halfOpenCalls) {}
