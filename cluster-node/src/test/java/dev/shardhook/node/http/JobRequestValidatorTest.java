package dev.shardhook.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.JobRequest;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.MisdirectedRequestException;
import dev.shardhook.api.problem.PayloadTooLargeException;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.delivery.TargetGuard;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.routing.ShardOwnership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobRequestValidatorTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String URL = "https://receiver.example/hook";
  private static final NodeConfig CONFIG =
      NodeConfig.builder()
          .insecureNoAuth(true)
          .nodeId("a")
          .peers("a=127.0.0.1:9200")
          .maxBodyBytes(100)
          .maxRequestBytes(1000)
          .attemptTimeout(Duration.ofSeconds(7))
          .build();
  private static final ShardOwnership SOLE = ShardOwnership.sole(CONFIG.shardId());

  private final JobRequestValidator validator =
      new JobRequestValidator(CONFIG.submit(), new TargetGuard(true), CLOCK, SOLE);

  /** A request with every field set, so each test can change one. */
  private static Req full() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Trace", "abc");
    return new Req(
        URL,
        "put",
        headers,
        "{\"n\":1}",
        "order-1",
        "key-1",
        null,
        5_000L,
        2_000L,
        new RetrySpec(3, 100L, 1_000L, 2.0, 0L));
  }

  private static Req minimal() {
    return new Req(URL, null, null, null, null, null, null, null, null, null);
  }

  /** A mutable-by-copy {@link JobRequest}, to vary one field at a time. */
  private record Req(
      String url,
      String method,
      Map<String, String> headers,
      String body,
      String id,
      String key,
      Instant runAt,
      Long delayMs,
      Long timeoutMs,
      RetrySpec retry) {
    JobRequest build() {
      return new JobRequest(url, method, headers, body, id, key, runAt, delayMs, timeoutMs, retry);
    }

    Req url(String v) {
      return new Req(v, method, headers, body, id, key, runAt, delayMs, timeoutMs, retry);
    }

    Req method(String v) {
      return new Req(url, v, headers, body, id, key, runAt, delayMs, timeoutMs, retry);
    }

    Req headers(Map<String, String> v) {
      return new Req(url, method, v, body, id, key, runAt, delayMs, timeoutMs, retry);
    }

    Req body(String v) {
      return new Req(url, method, headers, v, id, key, runAt, delayMs, timeoutMs, retry);
    }

    Req id(String v) {
      return new Req(url, method, headers, body, v, key, runAt, delayMs, timeoutMs, retry);
    }

    Req key(String v) {
      return new Req(url, method, headers, body, id, v, runAt, delayMs, timeoutMs, retry);
    }

    Req runAt(Instant v) {
      return new Req(url, method, headers, body, id, key, v, delayMs, timeoutMs, retry);
    }

    Req delayMs(Long v) {
      return new Req(url, method, headers, body, id, key, runAt, v, timeoutMs, retry);
    }

    Req timeoutMs(Long v) {
      return new Req(url, method, headers, body, id, key, runAt, delayMs, v, retry);
    }

    Req retry(RetrySpec v) {
      return new Req(url, method, headers, body, id, key, runAt, delayMs, timeoutMs, v);
    }
  }

  private NewJob valid(Req req) {
    return validator.toNewJob(req.build(), null, "default");
  }

  private void assertInvalid(Req req, String message) {
    assertThatThrownBy(() -> validator.toNewJob(req.build(), null, "default"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining(message);
  }

  @Test
  void queueAndOrderingKeyAreCarriedAndChecked() {
    NewJob plain = valid(minimal());
    assertThat(plain.queue()).isEqualTo("default");
    assertThat(plain.orderingKey()).isNull();

    JobRequest named =
        new JobRequest(
            URL, null, null, null, null, null, null, null, null, null, "billing_2-x", "cust 42");
    NewJob job = validator.toNewJob(named, null, "default");
    assertThat(job.queue()).isEqualTo("billing_2-x");
    assertThat(job.orderingKey()).isEqualTo("cust 42");
    // what the job does includes its queue and ordering: reusing a key for another is a conflict
    assertThat(job.fingerprint()).isNotEqualTo(plain.fingerprint());

    for (String bad : new String[] {"", "a.b", "x".repeat(65), "q/1"}) {
      JobRequest r =
          new JobRequest(URL, null, null, null, null, null, null, null, null, null, bad, null);
      assertThatThrownBy(() -> validator.toNewJob(r, null, "default"))
          .isInstanceOf(InvalidJobException.class)
          .hasMessageContaining("queue:");
    }
    for (String bad : new String[] {"", "k".repeat(257), "tab\there", "caf\u00e9"}) {
      JobRequest r =
          new JobRequest(URL, null, null, null, null, null, null, null, null, null, null, bad);
      assertThatThrownBy(() -> validator.toNewJob(r, null, "default"))
          .isInstanceOf(InvalidJobException.class)
          .hasMessageContaining("orderingKey:");
    }
  }

  @Test
  void minimalRequestTakesDefaults() {
    NewJob job = valid(minimal());

    assertThat(job.url()).isEqualTo(URL);
    assertThat(job.method()).isEqualTo("POST");
    assertThat(job.headers()).isEmpty();
    assertThat(job.body()).isNull();
    assertThat(job.idempotencyKey()).isNull();
    assertThat(job.runAt()).isNull();
    assertThat(job.delayMs()).isNull();
    assertThat(job.timeoutMs()).isEqualTo(7_000);
    assertThat(job.retry()).isEqualTo(RetrySettings.DEFAULTS);
    assertThat(job.fingerprint()).matches("[0-9a-f]{64}");
  }

  @Test
  void fullRequestIsCarriedOver() {
    NewJob job = valid(full());

    assertThat(job.id()).isEqualTo("order-1");
    assertThat(job.idempotencyKey()).isEqualTo("key-1");
    assertThat(job.method()).isEqualTo("PUT");
    assertThat(job.headers())
        .containsExactly(
            Map.entry("Content-Type", "application/json"), Map.entry("X-Trace", "abc"));
    assertThat(job.body()).isEqualTo("{\"n\":1}");
    assertThat(job.delayMs()).isEqualTo(5_000L);
    assertThat(job.timeoutMs()).isEqualTo(2_000);
    assertThat(job.retry()).isEqualTo(RetrySettings.ofMillis(3, 100L, 1_000L, 2.0, 0L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void urlIsRequired(String url) {
    assertInvalid(minimal().url(url), "url: required");
    assertInvalid(minimal().url(null), "url: required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://receiver.example/x",
        "receiver.example/hook",
        "/hook",
        "mailto:someone@example.com",
        "http:receiver.example"
      })
  void urlMustBeAbsoluteHttp(String url) {
    assertInvalid(minimal().url(url), "url: must be an absolute http or https URL");
  }

  @Test
  void urlMustParseAndHaveAHost() {
    assertInvalid(minimal().url("http://exa mple.com/"), "url: not a valid URL");
    assertInvalid(minimal().url("http:///path"), "url: must have a host");
  }

  @Test
  void urlGoesThroughTheTargetGuard() {
    JobRequestValidator strict =
        new JobRequestValidator(CONFIG.submit(), new TargetGuard(false), CLOCK, SOLE);

    assertThatThrownBy(
            () -> strict.toNewJob(minimal().url("http://127.0.0.1/x").build(), null, "default"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("url: ");
  }

  @Test
  void methodIsCaseInsensitiveAndStoredUpperCase() {
    assertThat(valid(minimal().method("patch")).method()).isEqualTo("PATCH");
    assertThat(valid(minimal().method("Delete")).method()).isEqualTo("DELETE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HEAD", "OPTIONS", "TRACE", "CONNECT", "", "post "})
  void otherMethodsAreRefused(String method) {
    assertInvalid(minimal().method(method), "method: must be one of POST, GET, PUT, PATCH, DELETE");
  }

  static Stream<Arguments> badHeaders() {
    return Stream.of(
        Arguments.of("Bad Name", "v", "is not a valid header name"),
        Arguments.of("", "v", "is not a valid header name"),
        Arguments.of("X:Y", "v", "is not a valid header name"),
        Arguments.of("X-A", "line\r\nInjected: 1", "headers.X-A: value must not contain CR or LF"),
        Arguments.of("X-A", "line\nbreak", "headers.X-A: value must not contain CR or LF"),
        Arguments.of("X-A", "nul\u0000", "headers.X-A: value must be printable ASCII"),
        Arguments.of("X-A", "caf\u00e9", "headers.X-A: value must be printable ASCII"),
        Arguments.of("Host", "evil.example", "headers.Host: reserved"),
        Arguments.of("content-length", "5", "headers.content-length: reserved"),
        Arguments.of("Transfer-Encoding", "chunked", "reserved"),
        Arguments.of("CONNECTION", "close", "reserved"),
        Arguments.of("webhook-id", "x", "reserved"),
        Arguments.of("Webhook-Timestamp", "1", "reserved"),
        Arguments.of("WEBHOOK-SIGNATURE", "v1,x", "reserved"));
  }

  @ParameterizedTest
  @MethodSource("badHeaders")
  void badHeadersAreRefused(String name, String value, String message) {
    assertInvalid(minimal().headers(Map.of(name, value)), message);
  }

  @Test
  void headerWithoutValueIsRefused() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-A", null);

    assertInvalid(minimal().headers(headers), "headers.X-A: value required");
  }

  @Test
  void headerNamesDifferingInCaseAreRefused() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-A", "1");
    headers.put("x-a", "2");

    assertInvalid(minimal().headers(headers), "headers.x-a: given twice");
  }

  @Test
  void tabsAndSymbolsAreFineInHeaders() {
    NewJob job = valid(minimal().headers(Map.of("X-Odd_name.1~", "a\tb; c=\"d\"")));

    assertThat(job.headers()).containsEntry("X-Odd_name.1~", "a\tb; c=\"d\"");
  }

  @Test
  void bodyIsLimitedInUtf8Bytes() {
    assertThat(valid(minimal().body("x".repeat(100))).body()).hasSize(100);
    // 34 three-byte characters: 102 bytes although only 34 chars.
    assertThatThrownBy(() -> valid(minimal().body("\u20ac".repeat(34))))
        .isInstanceOf(PayloadTooLargeException.class)
        .hasMessageContaining("body: 102 bytes");
    assertThatThrownBy(() -> valid(minimal().body("x".repeat(101))))
        .isInstanceOf(PayloadTooLargeException.class)
        .hasMessageStartingWith("body: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a/b", "ünïcode"})
  void idMustBeValid(String id) {
    assertInvalid(minimal().id(id), "id: must match");
  }

  @Test
  void idOfMaximalLengthIsFine() {
    String id = "a".repeat(128);

    assertThat(valid(minimal().id(id)).id()).isEqualTo(id);
    assertInvalid(minimal().id(id + "a"), "id: must match");
  }

  @Test
  void idempotencyKeyMustBePrintableAsciiUpTo255() {
    assertThat(valid(minimal().key("k".repeat(255))).idempotencyKey()).hasSize(255);
    assertInvalid(minimal().key("k".repeat(256)), "idempotencyKey: must be 1 to 255");
    assertInvalid(minimal().key(""), "idempotencyKey: must be 1 to 255");
    assertInvalid(minimal().key("tab\tkey"), "idempotencyKey: must be 1 to 255");
    assertInvalid(minimal().key("clé"), "idempotencyKey: must be 1 to 255");
  }

  @Test
  void idempotencyKeyHeaderIsValidatedToo() {
    assertThatThrownBy(() -> validator.toNewJob(minimal().build(), "", "default"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("Idempotency-Key header: ");
  }

  @Test
  void headerKeyAndFieldKeyMustAgree() {
    assertThat(validator.toNewJob(minimal().key("k1").build(), "k1", "default").idempotencyKey())
        .isEqualTo("k1");
    assertThat(validator.toNewJob(minimal().build(), "k2", "default").idempotencyKey())
        .isEqualTo("k2");
    assertThatThrownBy(() -> validator.toNewJob(minimal().key("k1").build(), "k2", "default"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("idempotencyKey: differs from the Idempotency-Key header");
  }

  @Test
  void runAtAndDelayAreExclusive() {
    assertInvalid(minimal().runAt(NOW).delayMs(10L), "delayMs: cannot be combined with runAt");
  }

  @Test
  void delayIsBetweenZeroAnd366Days() {
    long max = Duration.ofDays(366).toMillis();

    assertThat(valid(minimal().delayMs(0L)).delayMs()).isZero();
    assertThat(valid(minimal().delayMs(max)).delayMs()).isEqualTo(max);
    assertInvalid(minimal().delayMs(-1L), "delayMs: must be between 0 and");
    assertInvalid(minimal().delayMs(max + 1), "delayMs: must be between 0 and");
  }

  @Test
  void runAtIsAtMost366DaysAhead() {
    Instant limit = NOW.plus(Duration.ofDays(366));

    assertThat(valid(minimal().runAt(limit)).runAt()).isEqualTo(limit);
    assertInvalid(minimal().runAt(limit.plusMillis(1)), "runAt: must be at most 366 days ahead");
  }

  @Test
  void runAtInThePastMeansNowHoweverFarBack() {
    for (Instant past :
        List.of(
            NOW.minusSeconds(60),
            Instant.EPOCH,
            Instant.parse("-300000000-01-01T00:00:00Z"),
            Instant.MIN)) {
      NewJob job = valid(minimal().runAt(past));
      assertThat(job.runAt()).as("runAt %s", past).isNull();
      assertThat(job.delayMs()).isNull();
    }
  }

  @Test
  void aPastRunAtKeepsTheFingerprintOfTheRequestAsSent() {
    Instant past = Instant.parse("-300000000-01-01T00:00:00Z");
    assertThat(valid(minimal().runAt(past)).fingerprint())
        .isEqualTo(valid(minimal().runAt(past)).fingerprint())
        .isNotEqualTo(valid(minimal()).fingerprint());
  }

  @Test
  void timeoutIsBetweenOneMillisecondAndTenMinutes() {
    assertThat(valid(minimal().timeoutMs(1L)).timeoutMs()).isEqualTo(1);
    assertThat(valid(minimal().timeoutMs(600_000L)).timeoutMs()).isEqualTo(600_000);
    assertInvalid(minimal().timeoutMs(0L), "timeoutMs: must be between 1 and 600000");
    assertInvalid(minimal().timeoutMs(600_001L), "timeoutMs: must be between 1 and 600000");
  }

  @Test
  void retryIsResolvedAgainstTheNodeDefaults() {
    NewJob job = valid(minimal().retry(new RetrySpec(2, null, null, null, null)));

    RetrySpec d = NodeConfig.DEFAULT_RETRY;
    assertThat(job.retry())
        .isEqualTo(
            RetrySettings.ofMillis(
                2, d.initialBackoffMs(), d.maxBackoffMs(), d.multiplier(), d.maxRetryDurationMs()));
    assertInvalid(minimal().retry(new RetrySpec(0, null, null, null, null)), "retry.maxAttempts: ");
  }

  @Test
  void clientIdWinsOverTheKey() {
    assertThat(valid(minimal().id("mine").key("k")).id()).isEqualTo("mine");
  }

  @Test
  void idFromKeyIsStable() {
    NewJob first = valid(minimal().key("order-42"));
    NewJob second = validator.toNewJob(minimal().build(), "order-42", "default");

    assertThat(first.id()).isEqualTo(JobIds.fromIdempotencyKey("order-42"));
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(valid(minimal().key("order-43")).id()).isNotEqualTo(first.id());
  }

  @Test
  void idIsGeneratedWithoutIdOrKey() {
    NewJob first = valid(minimal());
    NewJob second = valid(minimal());

    assertThat(JobIds.isValid(first.id())).isTrue();
    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(first.fingerprint()).isEqualTo(second.fingerprint());
  }

  @Test
  void equalRequestsHaveEqualFingerprints() {
    assertThat(valid(full()).fingerprint()).isEqualTo(valid(full()).fingerprint());
  }

  @Test
  void fingerprintIgnoresHeaderOrderAndNameCaseAndMethodCase() {
    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("x-trace", "abc");
    reordered.put("content-type", "application/json");

    NewJob original = valid(full());
    NewJob variant = valid(full().headers(reordered).method("PUT"));

    assertThat(variant.fingerprint()).isEqualTo(original.fingerprint());
  }

  @Test
  void fingerprintCountsDefaultsAsGiven() {
    RetrySpec d = NodeConfig.DEFAULT_RETRY;

    NewJob implicit = valid(minimal());
    NewJob explicit = valid(minimal().method("POST").timeoutMs(7_000L).retry(d));

    assertThat(explicit.fingerprint()).isEqualTo(implicit.fingerprint());
  }

  @Test
  void fingerprintLeavesOutTheKey() {
    assertThat(valid(full().key("other")).fingerprint()).isEqualTo(valid(full()).fingerprint());
  }

  static Stream<Arguments> changes() {
    Map<String, String> otherValue = new LinkedHashMap<>(full().headers());
    otherValue.put("X-Trace", "abd");
    Map<String, String> extra = new LinkedHashMap<>(full().headers());
    extra.put("X-More", "1");
    Map<String, String> swapped = Map.of("Content-Type", "abc", "X-Trace", "application/json");
    return Stream.of(
        change("url", r -> r.url(URL + "?v=2")),
        change("method", r -> r.method("POST")),
        change("header value", r -> r.headers(otherValue)),
        change("extra header", r -> r.headers(extra)),
        change("header values swapped", r -> r.headers(swapped)),
        change("no headers", r -> r.headers(null)),
        change("body", r -> r.body("{\"n\":2}")),
        change("no body", r -> r.body(null)),
        change("empty body", r -> r.body("")),
        change("delay", r -> r.delayMs(5_001L)),
        change("runAt instead of delay", r -> r.delayMs(null).runAt(NOW.plusSeconds(5))),
        change("no schedule", r -> r.delayMs(null)),
        change("timeout", r -> r.timeoutMs(2_001L)),
        change("maxAttempts", r -> r.retry(new RetrySpec(4, 100L, 1_000L, 2.0, 0L))),
        change("initialBackoff", r -> r.retry(new RetrySpec(3, 101L, 1_000L, 2.0, 0L))),
        change("maxBackoff", r -> r.retry(new RetrySpec(3, 100L, 1_001L, 2.0, 0L))),
        change("multiplier", r -> r.retry(new RetrySpec(3, 100L, 1_000L, 2.5, 0L))),
        change("maxRetryDuration", r -> r.retry(new RetrySpec(3, 100L, 1_000L, 2.0, 1L))),
        change("id", r -> r.id("order-2")),
        change("no id", r -> r.id(null)));
  }

  private static Arguments change(String what, UnaryOperator<Req> edit) {
    return Arguments.of(what, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void anyFieldChangesTheFingerprint(String what, UnaryOperator<Req> edit) {
    assertThat(valid(edit.apply(full())).fingerprint()).isNotEqualTo(valid(full()).fingerprint());
  }

  @Test
  void runAtPrecisionCounts() {
    Req base = full().delayMs(null).runAt(NOW.plusSeconds(5));

    assertThat(valid(base.runAt(NOW.plusSeconds(5).plusNanos(1))).fingerprint())
        .isNotEqualTo(valid(base).fingerprint());
  }

  @Test
  void anotherShardsIdOrKeyIsMisdirectedAndGeneratedIdsLandOnThisShard(@TempDir Path dir)
      throws IOException {
    Path map =
        Files.writeString(
            dir.resolve("m.json"), "{\"shards\": [{\"id\": \"s-0\"}, {\"id\": \"s-1\"}]}");
    ShardRing ring = ShardRing.of(List.of("s-0", "s-1"));
    JobRequestValidator here =
        new JobRequestValidator(
            CONFIG.submit(), new TargetGuard(true), CLOCK, ShardOwnership.read(map, "s-0"));
    String own = onShard(ring, "s-0", i -> "job-" + i);
    String other = onShard(ring, "s-1", i -> "job-" + i);
    String otherKey = onShard(ring, "s-1", i -> "key-" + i);

    assertThat(here.toNewJob(minimal().id(own).build(), null, "default").id()).isEqualTo(own);
    assertThatThrownBy(() -> here.toNewJob(minimal().id(other).build(), null, "default"))
        .isInstanceOf(MisdirectedRequestException.class)
        .hasMessageContaining("'" + other + "'");
    assertThatThrownBy(() -> here.toNewJob(minimal().build(), otherKey, "default"))
        .isInstanceOf(MisdirectedRequestException.class)
        .hasMessageContaining("'" + JobIds.fromIdempotencyKey(otherKey) + "'");
    for (int i = 0; i < 100; i++) {
      assertThat(ring.shardFor(here.toNewJob(minimal().build(), null, "default").id()))
          .isEqualTo("s-0");
    }
  }

  /**
   * The first candidate whose id (a key's derived id for "key-" candidates) is on {@code shard}.
   */
  private static String onShard(ShardRing ring, String shard, IntFunction<String> candidate) {
    return IntStream.range(0, 10_000)
        .mapToObj(candidate)
        .filter(
            c ->
                ring.shardFor(c.startsWith("key-") ? JobIds.fromIdempotencyKey(c) : c)
                    .equals(shard))
        .findFirst()
        .orElseThrow();
  }
}
