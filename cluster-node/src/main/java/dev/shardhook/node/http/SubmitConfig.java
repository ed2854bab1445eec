package dev.shardhook.node.http;

import dev.shardhook.api.RetrySpec;
import java.time.Duration;

/**
 * What taking submissions needs (see {@link dev.shardhook.node.NodeSettings}).
 *
 * @param maxRequestBytes the largest request body read (then 413)
 * @param maxBodyBytes the largest job body (then 413)
 * @param maxPending pending jobs the shard holds at most (then 429)
 * @param attemptTimeout per-attempt timeout for jobs that set none
 * @param defaultRetry retry policy for fields a job leaves out
 * @param allowPrivateTargets whether loopback, private and link-local targets are allowed
 */
public record SubmitConfig(
    int maxRequestBytes,
    int maxBodyBytes,
    long maxPending,
    Duration attemptTimeout,
    RetrySpec defaultRetry,
    boolean allowPrivateTargets) {}
