package dev.shardhook.api;

import dev.shardhook.api.routing.JobIds;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The job rules, the one home of id and key syntax, header syntax, reserved headers, methods and
 * limits. The client checks them so a bad request fails at {@code build()} rather than as a 400;
 * the node and the proxy check them with their own wording. Rules that depend on the shard's
 * configuration or clock (target address policy, body limit, the 366-day horizon of {@code runAt},
 * retry upper bounds) stay with the shard.
 */
public final class JobRules {
  public static final List<String> METHODS = List.of("POST", "GET", "PUT", "PATCH", "DELETE");
  public static final int MAX_BODY_BYTES = 256 * 1024;
  public static final int MAX_KEY_LENGTH = 255;
  public static final Duration MAX_DELAY = Duration.ofDays(366);
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(600);

  // Framing headers belong to the delivery client and the webhook-* headers to Shardhook; a job
  // that sets them would either break the request or forge the signature envelope.
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature");
  private static final Set<String> DELIVERY_OWNED_HEADERS =
      Set.of(
          "keep-alive",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection",
          "proxy-authorization",
          "user-agent",
          "idempotency-key");
  private static final Set<String> SENSITIVE_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  private static final List<String> SENSITIVE_NAME_PARTS =
      List.of("token", "secret", "key", "password", "signature");

  /** What answers and logs show instead of a sensitive header's value. */
  public static final String REDACTED = "[redacted]";

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private JobRules() {}

  public static void url(URI url) {
    String scheme = url.getScheme();
    if (scheme == null
        || url.isOpaque()
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw invalid("url", "must be an absolute http or https URL, got '" + url + "'");
    }
    if (url.getRawAuthority() == null || url.getRawAuthority().isEmpty()) {
      throw invalid("url", "must have a host, got '" + url + "'");
    }
  }

  public static void method(String method) {
    if (!METHODS.contains(method)) {
      throw invalid("method", "must be one of " + String.join(", ", METHODS) + ", got " + method);
    }
  }

  public static void headers(Map<String, String> headers) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (!isHeaderName(name)) {
        throw invalid("headers", "'" + name + "' is not a valid header name");
      }
      if (isReservedHeader(name)) {
        throw invalid("headers." + name, "reserved; Shardhook sets it");
      }
      if (!isHeaderValue(h.getValue())) {
        throw invalid("headers." + name, "value must be printable ASCII (tabs allowed)");
      }
    }
  }

  public static void body(String body) {
    if (body == null) {
      return;
    }
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BODY_BYTES) {
      throw invalid(
          "body", bytes + " bytes in UTF-8; the limit is " + MAX_BODY_BYTES + " bytes (256 KiB)");
    }
  }

  /** Decodes a byte body, refusing what is not UTF-8 rather than replacing it. */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid("body", "not valid UTF-8; a job carries its body as text");
    }
  }

  public static void id(String id) {
    if (id != null && !JobIds.isValid(id)) {
      throw invalid("id", "must match [A-Za-z0-9._:-]{1,128}, got '" + id + "'");
    }
  }

  public static void idempotencyKey(String key) {
    if (key != null && !isKey(key)) {
      throw invalid(
          "idempotencyKey", "must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
    }
  }

  /** Longest ordering key. */
  public static final int MAX_ORDERING_KEY_LENGTH = 256;

  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Whether {@code name} has the form of a queue name: {@code [A-Za-z0-9_-]{1,64}}. */
  public static boolean isQueueName(String name) {
    return name != null && QUEUE_NAME.matcher(name).matches();
  }

  public static void queue(String queue) {
    if (queue != null && !isQueueName(queue)) {
      throw invalid("queue", "must match [A-Za-z0-9_-]{1,64}, got '" + queue + "'");
    }
  }

  public static void orderingKey(String key) {
    if (key != null && !isPrintable(key, MAX_ORDERING_KEY_LENGTH)) {
      throw invalid(
          "orderingKey", "must be 1 to " + MAX_ORDERING_KEY_LENGTH + " printable ASCII characters");
    }
  }

  /** An idempotency key: 1 to {@value #MAX_KEY_LENGTH} printable ASCII characters. */
  public static boolean isKey(String key) {
    return isPrintable(key, MAX_KEY_LENGTH);
  }

  private static boolean isPrintable(String key, int maxLength) {
    if (key.isEmpty() || key.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  public static void schedule(Instant runAt, Duration delay) {
    if (runAt != null && delay != null) {
      throw invalid("delay", "cannot be combined with runAt; give one of them");
    }
    if (delay != null && (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0)) {
      throw invalid("delay", "must be between 0 and 366 days, got " + delay);
    }
  }

  public static void timeout(Duration timeout) {
    if (timeout != null
        && (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0)) {
      throw invalid("timeout", "must be between 1 ms and 600 s, got " + timeout);
    }
  }

  public static void retry(RetrySpec retry) {
    if (retry == null) {
      return;
    }
    if (retry.maxAttempts() != null && retry.maxAttempts() < 1) {
      throw invalid("retry.maxAttempts", "must be at least 1");
    }
    if (retry.initialBackoffMs() != null && retry.initialBackoffMs() < 1) {
      throw invalid("retry.initialBackoffMs", "must be at least 1");
    }
    if (retry.maxBackoffMs() != null
        && retry.initialBackoffMs() != null
        && retry.maxBackoffMs() < retry.initialBackoffMs()) {
      throw invalid("retry.maxBackoffMs", "must be at least initialBackoffMs");
    }
    if (retry.multiplier() != null && !(retry.multiplier() >= 1.0)) {
      throw invalid("retry.multiplier", "must be at least 1.0");
    }
    if (retry.maxRetryDurationMs() != null && retry.maxRetryDurationMs() < 0) {
      throw invalid("retry.maxRetryDurationMs", "must be >= 0 (0 = no limit)");
    }
  }

  /** A header Shardhook sets itself, so a job may not (names ignore case). */
  public static boolean isReservedHeader(String name) {
    return RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * A header a delivery never copies from the job: the reserved ones, plus hop-by-hop and proxy
   * headers, which belong to one connection, and those the delivery sets itself ({@code
   * User-Agent}, {@code Idempotency-Key}). A job may carry the latter; the delivery's value wins.
   */
  public static boolean isDeliveryOwnedHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return RESERVED_HEADERS.contains(lower) || DELIVERY_OWNED_HEADERS.contains(lower);
  }

  /**
   * A job header whose value is a credential the receiver trusts ({@code Authorization}, {@code
   * Cookie}, or a name holding token, secret, key, password or signature): deliveries send it, but
   * answers and logs show {@link #REDACTED} instead, so read access to a job never hands out the
   * receiver's credentials.
   */
  public static boolean isSensitiveHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (SENSITIVE_HEADERS.contains(lower)) {
      return true;
    }
    for (String part : SENSITIVE_NAME_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** {@code headers} with each sensitive value replaced by {@link #REDACTED}, order kept. */
  public static Map<String, String> redacted(Map<String, String> headers) {
    if (headers == null || headers.keySet().stream().noneMatch(JobRules::isSensitiveHeader)) {
      return headers;
    }
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((name, value) -> out.put(name, isSensitiveHeader(name) ? REDACTED : value));
    return out;
  }

  /** An RFC 9110 token, the syntax of a header name. */
  public static boolean isHeaderName(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TOKEN_SYMBOLS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A header value the delivery client can send: visible ASCII, spaces and tabs. */
  public static boolean isHeaderValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException invalid(String field, String problem) {
    return new IllegalArgumentException(field + ": " + problem);
  }
}
