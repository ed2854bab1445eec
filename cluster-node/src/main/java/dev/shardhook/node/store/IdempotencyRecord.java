package dev.shardhook.node.store;

/**
 * An idempotency key's entry in the {@code idempotency} column family.
 *
 * @param jobId the job the key created
 * @param fingerprint the request fingerprint
 * @param expiresAtMs after this (entry time, not wall time) the key may be reused
 */
public record IdempotencyRecord(String jobId, String fingerprint, long expiresAtMs) {}
