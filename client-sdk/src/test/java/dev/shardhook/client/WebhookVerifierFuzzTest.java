package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Receivers run {@link WebhookVerifier} on whatever reaches their endpoint. For any {@code
 * webhook-id}, {@code webhook-timestamp}, {@code webhook-signature} and body: it returns the id or
 * throws {@link ShardhookException.InvalidSignature}, nothing else; it accepts only when some
 * {@code v1} entry is the HMAC of one of its secrets (no input forges a pass); and a correct
 * signature placed among arbitrary other entries still verifies, with either secret.
 *
 * <p>Input: the id, the timestamp and the signature header on the first three lines, the body after
 * them. Seeds: {@code src/test/resources/dev/shardhook/client/WebhookVerifierFuzzTestInputs}.
 */
class WebhookVerifierFuzzTest {
  private static final String NEW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String OLD_SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("a retired secret, 32 bytes long".getBytes());
  private static final long NOW = 1_614_265_330L;
  private static final WebhookVerifier VERIFIER =
      WebhookVerifier.builder()
          .secret(NEW_SECRET)
          .secret(OLD_SECRET)
          .clock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
          .build();

  @FuzzTest(maxDuration = "12s")
  void onlyAMatchingSignaturePasses(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 4);
    String id = lines.length > 0 ? lines[0] : null;
    String timestamp = lines.length > 1 ? lines[1] : null;
    String signatures = lines.length > 2 ? lines[2] : null;
    byte[] body = lines.length > 3 ? lines[3].getBytes(StandardCharsets.UTF_8) : new byte[0];

    String verified = verify(id, timestamp, signatures, body);
    if (verified != null) {
      assertThat(verified).isEqualTo(id.trim());
      assertThat(containsTrueSignature(id.trim(), timestamp.trim(), signatures, body)).isTrue();
    }

    // The same delivery, correctly signed by either secret among the fuzzed entries.
    if (id == null || id.trim().isBlank() || timestamp == null || !inTolerance(timestamp.trim())) {
      return;
    }
    for (String secret : new String[] {NEW_SECRET, OLD_SECRET}) {
      String signature = "v1," + sign(secret, id.trim(), timestamp.trim(), body);
      String header = signatures == null ? signature : signatures + " " + signature;
      assertThat(verify(id, timestamp, header, body)).isEqualTo(id.trim());
    }
  }

  /** The verified id, or null when the verifier refused the delivery. */
  private static String verify(String id, String timestamp, String signatures, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", timestamp);
    headers.put("webhook-signature", signatures);
    try {
      return VERIFIER.verify(headers::get, body);
    } catch (ShardhookException.InvalidSignature refused) {
      return null;
    }
  }

  private static boolean inTolerance(String timestamp) {
    try {
      long seconds = Long.parseLong(timestamp);
      return Math.abs(seconds - NOW) <= WebhookVerifier.DEFAULT_TOLERANCE.toSeconds();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Whether a {@code v1} entry of {@code header} is a true signature; entries are split as the
   * Standard Webhooks libraries do: the trimmed header at runs of spaces.
   */
  private static boolean containsTrueSignature(
      String id, String timestamp, String header, byte[] body) {
    for (String secret : new String[] {NEW_SECRET, OLD_SECRET}) {
      byte[] expected = Base64.getDecoder().decode(sign(secret, id, timestamp, body));
      for (String entry : header.trim().split(" +")) {
        if (!entry.startsWith("v1,")) {
          continue;
        }
        try {
          if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
            return true;
          }
        } catch (IllegalArgumentException notBase64) {
          // not a signature
        }
      }
    }
    return false;
  }

  /** An independent Standard Webhooks signer. */
  private static String sign(String secret, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
