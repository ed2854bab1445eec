package dev.shardhook.node.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs deliveries per the Standard Webhooks spec: {@code webhook-signature: v1,<base64
 * HMAC-SHA256(key, "{msgId}.{timestamp}.{body}")>}, where the key is the base64 part of a {@code
 * whsec_} secret. Thread-safe.
 */
public final class WebhookSigner {
  private static final String PREFIX = "whsec_";
  private static final String ALGORITHM = "HmacSHA256";

  /** Shorter keys are guessable; the spec recommends 24 to 64 bytes. */
  static final int MIN_KEY_BYTES = 16;

  private final SecretKeySpec key;

  /**
   * @param secret {@code whsec_<base64 key>}
   * @throws IllegalArgumentException if the secret is malformed or its key too short
   */
  public WebhookSigner(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("signing secret must look like whsec_<base64 key>");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "signing secret: the part after whsec_ is not valid base64 (" + e.getMessage() + ")");
    }
    if (raw.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "signing secret: key is "
              + raw.length
              + " bytes, at least "
              + MIN_KEY_BYTES
              + " are required (24 to 64 recommended)");
    }
    key = new SecretKeySpec(raw, ALGORITHM);
    mac(); // fail now, not at the first delivery, if the JDK lacks the algorithm
  }

  /** The {@code webhook-signature} header value. */
  public String sign(String msgId, long timestampSeconds, byte[] body) {
    Mac mac = mac();
    mac.update((msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
    mac.update(body == null ? new byte[0] : body);
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
