package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /jobs}: the HTTP request Shardhook should make, and when and how often.
 *
 * <p>Build one with {@link #builder(URI)}, which checks the fields the way a shard does and fails
 * at {@link Builder#build()} with a message naming the field; only rules that depend on the shard
 * (its target address policy, the 366-day horizon of {@code runAt}, retry upper bounds) are left to
 * it. The canonical constructor checks nothing: it is the wire form a node reads requests into,
 * invalid ones included.
 *
 * <pre>{@code
 * JobRequest request =
 *     JobRequest.builder(URI.create("https://example.com/hooks/order"))
 *         .header("Content-Type", "application/json")
 *         .body("{\"order\":42}")
 *         .delay(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * @param url the receiver, http or https (required)
 * @param method POST (default), GET, PUT, PATCH or DELETE
 * @param headers headers sent with every attempt
 * @param body the request body, sent as is
 * @param id the job's id; generated when absent (or derived from the idempotency key)
 * @param idempotencyKey makes re-submissions safe; the {@code Idempotency-Key} header sets it too
 * @param runAt first attempt not before this instant (RFC 3339)
 * @param delayMs first attempt after this delay; exclusive with {@code runAt}
 * @param timeoutMs per-attempt timeout
 * @param retry retry policy; absent fields take the queue's, then the shard's defaults
 * @param queue the named queue whose limits and defaults apply; {@code default} when absent
 * @param orderingKey jobs of one tenant with the same key are delivered one at a time, in the order
 *     they were accepted (README, "Ordering"); absent: no ordering
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    String url,
    String method,
    Map<String, String> headers,
    String body,
    String id,
    String idempotencyKey,
    Instant runAt,
    Long delayMs,
    Long timeoutMs,
    RetrySpec retry,
    String queue,
    String orderingKey) {

  /** The queue jobs name when they name none. */
  public static final String DEFAULT_QUEUE = "default";

  /** A request without a queue or an ordering key, as before those existed. */
  public JobRequest(
      String url,
      String method,
      Map<String, String> headers,
      String body,
      String id,
      String idempotencyKey,
      Instant runAt,
      Long delayMs,
      Long timeoutMs,
      RetrySpec retry) {
    this(
        url,
        method,
        headers,
        body,
        id,
        idempotencyKey,
        runAt,
        delayMs,
        timeoutMs,
        retry,
        null,
        null);
  }

  /**
   * Starts a request to {@code url}; POST, no headers, no body and the shard's defaults until the
   * builder says otherwise.
   *
   * @param url the receiver: an absolute http or https URL with a host
   * @throws NullPointerException if {@code url} is null
   */
  public static Builder builder(URI url) {
    return new Builder(Objects.requireNonNull(url, "url"));
  }

  /**
   * Collects a {@link JobRequest}. Setters only record; {@link #build()} checks everything at once
   * against the shard's rules. Not thread-safe; the request it builds is immutable.
   */
  public static final class Builder {
    private final URI url;
    private String method = "POST";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private byte[] bodyBytes;
    private String id;
    private String idempotencyKey;
    private Instant runAt;
    private Duration delay;
    private Duration timeout;
    private RetrySpec retry;
    private String queue;
    private String orderingKey;

    private Builder(URI url) {
      this.url = url;
    }

    /** POST (the default), GET, PUT, PATCH or DELETE; case does not matter. */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /**
     * Sends this header with every attempt, replacing an earlier value of the same name (names
     * ignore case). {@code Host}, the framing headers and the {@code webhook-*} headers are
     * reserved.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
      headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
      headers.put(name, value);
      return this;
    }

    /** The body, sent as UTF-8 text; replaces an earlier body. */
    public Builder body(String body) {
      this.body = Objects.requireNonNull(body, "body");
      this.bodyBytes = null;
      return this;
    }

    /**
     * The body as bytes with its {@code Content-Type}; replaces an earlier body. Jobs carry their
     * body as text, so the bytes must be valid UTF-8 (JSON, XML, form data and the like).
     */
    public Builder body(byte[] body, String contentType) {
      this.bodyBytes = Objects.requireNonNull(body, "body").clone();
      this.body = null;
      return header("Content-Type", Objects.requireNonNull(contentType, "contentType"));
    }

    /** The job's id, {@code [A-Za-z0-9._:-]{1,128}}; the shard picks one when absent. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * The key that makes re-submitting this job safe: 1 to 255 printable ASCII characters. The
     * client generates one per submit when absent.
     */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /** First attempt not before this instant; exclusive with {@link #delay(Duration)}. */
    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      return this;
    }

    /** First attempt after this delay (0 to 366 days); exclusive with {@link #runAt(Instant)}. */
    public Builder delay(Duration delay) {
      this.delay = delay;
      return this;
    }

    /** Timeout of each attempt, 1 ms to 600 s; the shard's default when absent. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** The retry policy; absent fields (and an absent policy) take the shard's defaults. */
    public Builder retry(RetrySpec retry) {
      this.retry = retry;
      return this;
    }

    /**
     * Retries up to {@code maxAttempts} attempts in all with exponential backoff between {@code
     * initialBackoff} and {@code maxBackoff}; the multiplier and the overall limit stay the shard's
     * defaults.
     */
    public Builder retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      this.retry =
          new RetrySpec(maxAttempts, initialBackoff.toMillis(), maxBackoff.toMillis(), null, null);
      return this;
    }

    /** The named queue, {@code [A-Za-z0-9_-]{1,64}}; {@code default} when absent. */
    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /**
     * Delivers this job only after every earlier-accepted job with the same key finished, in
     * acceptance order: 1 to 256 printable ASCII characters.
     */
    public Builder orderingKey(String orderingKey) {
      this.orderingKey = orderingKey;
      return this;
    }

    /**
     * Checks every field and returns the request.
     *
     * @throws IllegalArgumentException naming the first field that a shard would refuse
     */
    public JobRequest build() {
      String text = bodyBytes == null ? body : JobRules.utf8(bodyBytes);
      String upperMethod = method.toUpperCase(Locale.ROOT);
      JobRules.url(url);
      JobRules.method(upperMethod);
      JobRules.headers(headers);
      JobRules.body(text);
      JobRules.id(id);
      JobRules.idempotencyKey(idempotencyKey);
      JobRules.schedule(runAt, delay);
      JobRules.timeout(timeout);
      JobRules.retry(retry);
      JobRules.queue(queue);
      JobRules.orderingKey(orderingKey);
      return new JobRequest(
          url.toString(),
          upperMethod,
          Collections.unmodifiableMap(new LinkedHashMap<>(headers)),
          text,
          id,
          idempotencyKey,
          runAt,
          delay == null ? null : delay.toMillis(),
          timeout == null ? null : timeout.toMillis(),
          retry,
          queue,
          orderingKey);
    }
  }
}
