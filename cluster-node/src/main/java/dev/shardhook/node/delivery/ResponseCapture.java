package dev.shardhook.node.delivery;

import dev.shardhook.api.JobRules;
import dev.shardhook.node.job.CapturedResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads a receiver's answer for the attempt log (README, "Attempt log"): the allowed headers and
 * the first {@code maxBodyBytes} of the body, then drains the rest up to a bound so the connection
 * can usually be reused. Everything kept goes into a Raft entry and the stored job, hence the caps.
 */
final class ResponseCapture {
  /** Receivers' answers are read this far and dropped: enough to reuse the connection usually. */
  static final int DRAIN_BYTES = 64 << 10;

  /** The largest {@code --response-capture-bytes}: a capture never reads past the drain bound. */
  static final int MAX_BODY_BYTES = DRAIN_BYTES;

  static final int MAX_HEADERS = 16;
  static final int MAX_HEADER_CHARS = 256;

  /**
   * Headers that help tell why an attempt failed and carry no credentials: the body's description,
   * redirects and back-off, and the ids receivers and their proxies use to find a request in their
   * logs. Set-Cookie, WWW-Authenticate and anything {@link JobRules#isSensitiveHeader} names are
   * never kept, even if added here.
   */
  static final Set<String> ALLOWED_HEADERS =
      Set.of(
          "content-type",
          "content-length",
          "content-encoding",
          "content-language",
          "location",
          "retry-after",
          "date",
          "server",
          "via",
          "x-request-id",
          "request-id",
          "x-correlation-id",
          "correlation-id",
          "x-trace-id",
          "trace-id",
          "traceparent",
          "tracestate",
          "x-b3-traceid",
          "x-amzn-requestid",
          "x-amzn-trace-id",
          "x-amz-request-id",
          "x-amz-cf-id",
          "x-cloud-trace-context",
          "cf-ray",
          "x-github-request-id",
          "ratelimit",
          "ratelimit-policy",
          "ratelimit-limit",
          "ratelimit-remaining",
          "ratelimit-reset",
          "x-ratelimit-limit",
          "x-ratelimit-remaining",
          "x-ratelimit-reset");

  private final int maxBodyBytes;

  /**
   * @param maxBodyBytes body bytes kept per attempt, 0 to keep nothing (no headers either)
   */
  ResponseCapture(int maxBodyBytes) {
    if (maxBodyBytes < 0 || maxBodyBytes > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "response capture bytes must be between 0 and " + MAX_BODY_BYTES + ": " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Reads {@code response}'s body (a bounded prefix) and returns what the attempt keeps, null when
   * capture is off. Read errors end the read: the status is what counts.
   */
  CapturedResponse read(Response response) {
    Buffer kept = new Buffer();
    boolean more = false;
    try {
      BufferedSource source = response.body().source();
      Buffer scratch = new Buffer();
      long left = Math.max(DRAIN_BYTES, maxBodyBytes + 1L);
      while (left > 0) {
        long n = source.read(scratch, Math.min(8192, left));
        if (n == -1) {
          break;
        }
        left -= n;
        long keep = Math.min(n, maxBodyBytes - kept.size());
        if (keep > 0) {
          scratch.read(kept, keep);
        }
        more |= !scratch.exhausted();
        scratch.clear();
      }
    } catch (IOException | RuntimeException e) {
      // the receiver answered; a broken body does not change that, and its end was never seen
      more = true;
    }
    if (maxBodyBytes == 0) {
      return null;
    }
    return new CapturedResponse(headers(response), decode(kept.readByteArray(), more), more);
  }

  /** The allowed headers, lower-case, in the order received; repeated ones joined by ", ". */
  static Map<String, String> headers(Response response) {
    Map<String, String> out = new LinkedHashMap<>();
    Headers headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i).toLowerCase(Locale.ROOT);
      if (name.equals(RetryAfterShield.HEADER.toLowerCase(Locale.ROOT))) {
        name = "retry-after";
      }
      if (!ALLOWED_HEADERS.contains(name) || JobRules.isSensitiveHeader(name)) {
        continue;
      }
      String value = headers.value(i);
      String joined = out.containsKey(name) ? out.get(name) + ", " + value : value;
      if (out.containsKey(name) || out.size() < MAX_HEADERS) {
        out.put(name, cut(joined));
      }
    }
    return out;
  }

  private static String cut(String value) {
    if (value.length() <= MAX_HEADER_CHARS) {
      return value;
    }
    int end = MAX_HEADER_CHARS;
    // never leave half a surrogate pair
    return value.substring(0, Character.isHighSurrogate(value.charAt(end - 1)) ? end - 1 : end);
  }

  /**
   * UTF-8 with U+FFFD for bytes that are not; a cut body drops a character split by the cut rather
   * than showing it as U+FFFD.
   */
  static String decode(byte[] bytes, boolean cut) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer chars = CharBuffer.allocate(bytes.length);
    decoder.decode(ByteBuffer.wrap(bytes), chars, !cut);
    if (!cut) {
      decoder.flush(chars);
    }
    return chars.flip().toString();
  }
}
