package dev.shardhook.node.delivery;

import dev.shardhook.support.auth.SecretSyntax;
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
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  /**
   * @param secret {@code whsec_<base64 key>}
   * @throws IllegalArgumentException if the secret is malformed or its key too short
   */
  public WebhookSigner(String secret) {
    key = new SecretKeySpec(SecretSyntax.decode(secret), ALGORITHM);
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
