package dev.shardhook.node.delivery;

/**
 * One attempt of one job. In-flight marks and settled outcomes are keyed by it, so an outcome for
 * an earlier attempt (from this node or a deposed leader) never frees a later one still running.
 */
public record AttemptKey(String jobId, int attemptNumber) {}
