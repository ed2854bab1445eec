package dev.shardhook.node.http;

import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobRules;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.MisdirectedRequestException;
import dev.shardhook.api.problem.PayloadTooLargeException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.node.delivery.TargetGuard;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.routing.ShardOwnership;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a client's {@link JobRequest} into the {@link NewJob} that goes into the log: checks every
 * field, fills defaults, picks the id and computes the fingerprint. Pure apart from the clock read
 * for generated ids and the {@code runAt} horizon, and the DNS look-up inside {@link TargetGuard}.
 */
final class JobRequestValidator {
  static final List<String> METHODS = JobRules.METHODS;
  static final Duration MAX_SCHEDULE_AHEAD = JobRules.MAX_DELAY;
  static final long MAX_TIMEOUT_MS = JobRules.MAX_TIMEOUT.toMillis();
  static final int MAX_KEY_LENGTH = JobRules.MAX_KEY_LENGTH;

  private final SubmitConfig config;
  private final TargetGuard guard;
  private final Clock clock;
  private final ShardOwnership ownership;

  JobRequestValidator(
      SubmitConfig config, TargetGuard guard, Clock clock, ShardOwnership ownership) {
    this.config = config;
    this.guard = guard;
    this.clock = clock;
    this.ownership = ownership;
  }

  /**
   * Validates {@code req}.
   *
   * @param idempotencyKeyHeader the {@code Idempotency-Key} header, or null
   * @param tenant the namespace of the job's id and key (a key-derived id hashes both)
   * @return the job with its id and key as the tenant sent them (not yet scoped)
   * @throws InvalidJobException naming the first bad field
   * @throws PayloadTooLargeException when the body is over {@link SubmitConfig#maxBodyBytes()}
   * @throws MisdirectedRequestException when the id (given or derived from the key) is another
   *     shard's
   */
  NewJob toNewJob(JobRequest req, String idempotencyKeyHeader, String tenant) {
    if (req == null) {
      throw new InvalidJobException("request body: expected a JSON object");
    }
    String url = url(req.url());
    String method = method(req.method());
    Map<String, String> headers = headers(req.headers());
    body(req.body());
    if (req.id() != null && !JobIds.isValid(req.id())) {
      throw new InvalidJobException("id: must match [A-Za-z0-9._:-]{1,128}");
    }
    String key = idempotencyKey(req.idempotencyKey(), idempotencyKeyHeader);
    schedule(req.runAt(), req.delayMs());
    long timeoutMs = timeoutMs(req.timeoutMs());
    RetrySettings retry = WireJobs.resolveRetry(req.retry(), config.defaultRetry());
    String queue = queue(req.queue());
    String orderingKey = orderingKey(req.orderingKey());

    String id;
    if (req.id() != null) {
      id = req.id();
    } else if (key != null) {
      id = JobIds.fromIdempotencyKey(tenant, key);
    } else {
      id = ownership.freshId(clock);
    }
    ownership.check(id);
    NewJob draft =
        new NewJob(
            id,
            key,
            null,
            url,
            method,
            headers,
            req.body(),
            req.runAt(),
            req.delayMs(),
            timeoutMs,
            retry,
            queue,
            orderingKey);
    // The fingerprint keeps the runAt the client sent, so a replay of the same request matches
    // whenever it arrives; the entry carries no past time: a runAt in the past means "now".
    return new NewJob(
        id,
        key,
        RequestFingerprint.of(draft, req.id()),
        url,
        method,
        headers,
        req.body(),
        req.runAt() != null && req.runAt().isAfter(clock.instant()) ? req.runAt() : null,
        req.delayMs(),
        timeoutMs,
        retry,
        queue,
        orderingKey);
  }

  private static String queue(String queue) {
    if (queue == null) {
      return JobRecord.DEFAULT_QUEUE;
    }
    if (!JobRules.isQueueName(queue)) {
      throw new InvalidJobException("queue: must match [A-Za-z0-9_-]{1,64}");
    }
    return queue;
  }

  private static String orderingKey(String key) {
    try {
      JobRules.orderingKey(key);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(e.getMessage());
    }
    return key;
  }

  private String url(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidJobException("url: required");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidJobException(
          "url: not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || uri.isOpaque()
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new InvalidJobException("url: must be an absolute http or https URL");
    }
    if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
      throw new InvalidJobException("url: must have a host");
    }
    guard.check(uri);
    return url;
  }

  private static String method(String method) {
    if (method == null) {
      return "POST";
    }
    String upper = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(upper)) {
      throw new InvalidJobException("method: must be one of " + String.join(", ", METHODS));
    }
    return upper;
  }

  private static Map<String, String> headers(Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    Set<String> seen = new HashSet<>();
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String name = h.getKey();
      if (!JobRules.isHeaderName(name)) {
        throw new InvalidJobException(
            "headers: '" + Printable.of(name) + "' is not a valid header name");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (JobRules.isReservedHeader(name)) {
        throw new InvalidJobException("headers." + name + ": reserved; Shardhook sets it");
      }
      if (!seen.add(lower)) {
        throw new InvalidJobException("headers." + name + ": given twice (names ignore case)");
      }
      String value = h.getValue();
      if (value == null) {
        throw new InvalidJobException("headers." + name + ": value required");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new InvalidJobException("headers." + name + ": value must not contain CR or LF");
      }
      if (!JobRules.isHeaderValue(value)) {
        // The delivery client refuses these too; better a 400 now than a job that can never run.
        throw new InvalidJobException(
            "headers." + name + ": value must be printable ASCII (tabs allowed)");
      }
      copy.put(name, value);
    }
    return Collections.unmodifiableMap(copy);
  }

  private void body(String body) {
    if (body == null) {
      return;
    }
    // A UTF-8 byte is at least one char, so only long strings need the exact count.
    if (body.length() * 3L <= config.maxBodyBytes()) {
      return;
    }
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > config.maxBodyBytes()) {
      throw new PayloadTooLargeException(
          "body: " + bytes + " bytes in UTF-8; the limit is " + config.maxBodyBytes() + " bytes");
    }
  }

  private static String idempotencyKey(String field, String header) {
    if (header != null) {
      checkKey(header, "Idempotency-Key header");
    }
    if (field != null) {
      checkKey(field, "idempotencyKey");
    }
    if (header != null && field != null && !header.equals(field)) {
      throw new InvalidJobException(
          "idempotencyKey: differs from the Idempotency-Key header; send one or make them equal");
    }
    return header != null ? header : field;
  }

  private static void checkKey(String key, String name) {
    if (!JobRules.isKey(key)) {
      throw new InvalidJobException(
          name + ": must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
    }
  }

  private void schedule(Instant runAt, Long delayMs) {
    if (runAt != null && delayMs != null) {
      throw new InvalidJobException("delayMs: cannot be combined with runAt; give one of them");
    }
    if (delayMs != null && (delayMs < 0 || delayMs > MAX_SCHEDULE_AHEAD.toMillis())) {
      throw new InvalidJobException(
          "delayMs: must be between 0 and " + MAX_SCHEDULE_AHEAD.toMillis() + " (366 days)");
    }
    if (runAt != null && runAt.isAfter(clock.instant().plus(MAX_SCHEDULE_AHEAD))) {
      throw new InvalidJobException("runAt: must be at most 366 days ahead");
    }
  }

  private long timeoutMs(Long timeoutMs) {
    if (timeoutMs == null) {
      return config.attemptTimeout().toMillis();
    }
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new InvalidJobException("timeoutMs: must be between 1 and " + MAX_TIMEOUT_MS);
    }
    return timeoutMs;
  }
}
