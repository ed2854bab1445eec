package dev.shardhook.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery comes from Shardhook, for receivers, per the <a
 * href="https://www.standardwebhooks.com/">Standard Webhooks</a> spec: {@code webhook-signature}
 * holds one or more space-separated {@code v1,<base64 HMAC-SHA256>} entries over {@code
 * "<webhook-id>.<webhook-timestamp>.<body>"}, keyed with the base64 part of a {@code whsec_}
 * secret, and {@code webhook-timestamp} must be within a tolerance of now (replay protection).
 *
 * <p>Works with any HTTP framework: pass a header lookup ({@code request::getHeader}) or a map, and
 * the raw body bytes exactly as received (not re-serialised JSON). Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * try {
 *   String webhookId = verifier.verify(request::getHeader, body);
 *   // deduplicate by webhookId, then act
 * } catch (ShardhookException.InvalidSignature e) {
 *   // answer 401, do nothing
 * }
 * }</pre>
 *
 * <p><b>Rotation.</b> A tenant may have several active signing secrets; Shardhook then sends one
 * {@code v1,} entry per secret in the same header ({@code v1,<sig-new> v1,<sig-old>}). Give the
 * verifier every secret you accept while senders move over: {@code WebhookVerifier.of(newSecret,
 * oldSecret)} or {@code WebhookVerifier.builder().secret(newSecret).secret(oldSecret).build()}. A
 * delivery is valid when any {@code v1} entry matches any secret; entries of other versions and
 * malformed entries are skipped. Each comparison is constant-time ({@link MessageDigest#isEqual}),
 * so timing does not reveal how much of a forged signature was right. Drop the old secret once it
 * is retired: deliveries signed only with it then fail.
 */
public final class WebhookVerifier {
  /** How far {@code webhook-timestamp} may be from now, either way. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String SECRET_PREFIX = "whsec_";
  private static final String ALGORITHM = "HmacSHA256";

  private final List<SecretKeySpec> keys;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.tolerance = b.tolerance;
    this.clock = b.clock;
  }

  /**
   * A verifier for these secrets with the default tolerance and the system clock: {@code
   * of(secret)} for one secret, {@code of(newSecret, oldSecret)} during a rotation.
   *
   * @throws IllegalArgumentException if a secret is not {@code whsec_<base64>} (or bare base64) or
   *     its key is empty
   */
  public static WebhookVerifier of(String secret, String... more) {
    Builder b = builder().secret(secret);
    for (String s : more) {
      b.secret(s);
    }
    return b.build();
  }

  /** A builder: at least one secret, then optionally a tolerance and a clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a delivery.
   *
   * @param header looks up a header by its lower-case name ({@code webhook-id}, ...), returning
   *     null when absent; frameworks that ignore case, like {@code HttpServletRequest::getHeader},
   *     fit
   * @param body the raw request body
   * @return the {@code webhook-id}, the key to deduplicate deliveries by
   * @throws ShardhookException.InvalidSignature if a header is missing or malformed, the timestamp
   *     is out of tolerance, or no {@code v1} entry of {@code webhook-signature} (space-separated)
   *     matches any of the secrets
   */
  public String verify(Function<String, String> header, byte[] body) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    String id = required(header, "webhook-id");
    String timestamp = required(header, "webhook-timestamp");
    String signatures = required(header, "webhook-signature");
    checkTimestamp(timestamp);

    byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    List<byte[]> expected = new ArrayList<>(keys.size());
    for (SecretKeySpec key : keys) {
      expected.add(hmac(key, signed, body));
    }
    for (String entry : signatures.trim().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue; // another scheme (v1a, a future v2) or noise
      }
      byte[] candidate;
      try {
        candidate = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] e : expected) {
        if (MessageDigest.isEqual(e, candidate)) {
          return id;
        }
      }
    }
    throw new ShardhookException.InvalidSignature("webhook-signature: no v1 signature matches");
  }

  /**
   * Verifies a delivery whose headers come as a map; names are matched ignoring case.
   *
   * @return the {@code webhook-id}
   * @throws ShardhookException.InvalidSignature as {@link #verify(Function, byte[])}
   */
  public String verify(Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    return verify(
        name -> {
          String exact = headers.get(name);
          if (exact != null) {
            return exact;
          }
          for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
              return h.getValue();
            }
          }
          return null;
        },
        body);
  }

  /** How far {@code webhook-timestamp} may be from now. */
  public Duration tolerance() {
    return tolerance;
  }

  private static String required(Function<String, String> header, String name) {
    String value = header.apply(name);
    // trim() also drops control characters that isBlank() keeps: test what is left.
    String trimmed = value == null ? "" : value.trim();
    if (trimmed.isBlank()) {
      throw new ShardhookException.InvalidSignature(name + ": missing");
    }
    return trimmed;
  }

  private void checkTimestamp(String value) {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ShardhookException.InvalidSignature(
          "webhook-timestamp: not Unix seconds: '" + shorten(value) + "'");
    }
    long now = clock.instant().getEpochSecond();
    long slack = tolerance.toSeconds();
    if (seconds < saturatedAdd(now, -slack)) {
      throw new ShardhookException.InvalidSignature(
          "webhook-timestamp: too old ("
              // unsigned: the true difference, even for a timestamp near Long.MIN_VALUE
              + Long.toUnsignedString(now - seconds)
              + " s ago; tolerance "
              + tolerance
              + ")");
    }
    if (seconds > saturatedAdd(now, slack)) {
      throw new ShardhookException.InvalidSignature(
          "webhook-timestamp: too new ("
              + Long.toUnsignedString(seconds - now)
              + " s ahead; tolerance "
              + tolerance
              + ")");
    }
  }

  /** {@code a + b}, held at the long range: a tolerance of "forever" must not wrap around. */
  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow only when both operands have the same sign and the sum's sign differs.
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return sum;
  }

  private static byte[] hmac(SecretKeySpec key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " unavailable", e);
    }
  }

  private static String shorten(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }

  /** Collects a {@link WebhookVerifier}. Not thread-safe. */
  public static final class Builder {
    private final List<SecretKeySpec> keys = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a secret: {@code whsec_<base64 key>} as Shardhook's {@code --signing-secret} takes it
     * (the bare base64 key is accepted too, as the Standard Webhooks libraries do).
     *
     * @throws IllegalArgumentException if it is not base64 or its key is empty
     */
    public Builder secret(String secret) {
      Objects.requireNonNull(secret, "secret");
      String b64 =
          secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
      byte[] key;
      try {
        key = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "secret: the part after whsec_ is not valid base64 (" + e.getMessage() + ")");
      }
      if (key.length == 0) {
        throw new IllegalArgumentException("secret: the key is empty; expected whsec_<base64 key>");
      }
      keys.add(new SecretKeySpec(key, ALGORITHM));
      return this;
    }

    /** How far {@code webhook-timestamp} may be from now, either way; at least 1 s. */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("tolerance: must be at least 1 s, got " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** The clock the timestamp is checked against. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws IllegalStateException if no secret was given
     */
    public WebhookVerifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("no secret: call secret(\"whsec_...\") first");
      }
      return new WebhookVerifier(this);
    }
  }
}
