package dev.shardhook.node.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * What sending webhooks needs (see {@link dev.shardhook.node.NodeSettings}).
 *
 * @param workers attempts in flight at once, which sizes the connection pool
 * @param attemptTimeout per-attempt timeout for jobs that set none
 * @param allowPrivateTargets whether loopback, private and link-local targets are allowed
 * @param signingSecret {@code whsec_<base64>}: deliveries are signed when present
 * @param responseCaptureBytes body bytes of each answer kept in the attempt log, 0 for none
 */
public record DeliveryConfig(
    int workers,
    Duration attemptTimeout,
    boolean allowPrivateTargets,
    Optional<String> signingSecret,
    int responseCaptureBytes) {
  /** The default capture, {@value #DEFAULT_RESPONSE_CAPTURE_BYTES} bytes. */
  public static final int DEFAULT_RESPONSE_CAPTURE_BYTES = 4096;

  /** Delivery with the default response capture. */
  public DeliveryConfig(
      int workers,
      Duration attemptTimeout,
      boolean allowPrivateTargets,
      Optional<String> signingSecret) {
    this(
        workers,
        attemptTimeout,
        allowPrivateTargets,
        signingSecret,
        DEFAULT_RESPONSE_CAPTURE_BYTES);
  }
}
