package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Standard Webhooks verification. The vectors are copied from the spec's reference libraries in
 * github.com/standard-webhooks/standard-webhooks: {@code
 * libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java} (verifyWebhookSignWorks,
 * verifyValidPayloadWithMultipleSignaturesIsValid), {@code libraries/python/tests/test_webhooks.py}
 * (test_sign_function, test_invalid_signature_raises_error) and {@code
 * libraries/javascript/src/webhook.test.ts}; the same secret, id, timestamp, payload and signature
 * are in cluster-node's WebhookSignerTest.
 */
class WebhookVerifierTest {
  // From the reference libraries' "sign function works" tests.
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String SPEC_MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long SPEC_TIMESTAMP = 1614265330;
  static final String SPEC_PAYLOAD = "{\"test\": 2432232314}";
  static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  // From test_invalid_signature_raises_error (python): the spec signature with its last byte off.
  static final String SPEC_WRONG_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";
  // From the multi-signature tests: entries that match nothing, one of another version.
  static final String SPEC_OTHER_V1 = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
  static final String SPEC_OTHER_V2 = "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

  private static final Clock AT_SPEC_TIME =
      Clock.fixed(Instant.ofEpochSecond(SPEC_TIMESTAMP), ZoneOffset.UTC);

  private static WebhookVerifier verifier(String... secrets) {
    WebhookVerifier.Builder b = WebhookVerifier.builder().clock(AT_SPEC_TIME);
    for (String s : secrets) {
      b.secret(s);
    }
    return b.build();
  }

  private static Map<String, String> headers(String signature) {
    Map<String, String> h = new HashMap<>();
    h.put("webhook-id", SPEC_MSG_ID);
    h.put("webhook-timestamp", Long.toString(SPEC_TIMESTAMP));
    h.put("webhook-signature", signature);
    return h;
  }

  private static byte[] payload() {
    return SPEC_PAYLOAD.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsTheSpecVectorAndReturnsTheWebhookId() {
    assertThat(verifier(SPEC_SECRET).verify(headers(SPEC_SIGNATURE), payload()))
        .isEqualTo(SPEC_MSG_ID);
  }

  @Test
  void acceptsTheSecretWithOrWithoutItsPrefix() {
    String bare = SPEC_SECRET.substring("whsec_".length());
    assertThat(verifier(bare).verify(headers(SPEC_SIGNATURE), payload())).isEqualTo(SPEC_MSG_ID);
  }

  @Test
  void acceptsAHeaderLookupAndMatchesMapNamesIgnoringCase() {
    Map<String, String> h = headers(SPEC_SIGNATURE);
    assertThat(verifier(SPEC_SECRET).verify(h::get, payload())).isEqualTo(SPEC_MSG_ID);

    Map<String, String> capitalised =
        Map.of(
            "Webhook-Id", SPEC_MSG_ID,
            "Webhook-Timestamp", Long.toString(SPEC_TIMESTAMP),
            "WEBHOOK-SIGNATURE", SPEC_SIGNATURE);
    assertThat(verifier(SPEC_SECRET).verify(capitalised, payload())).isEqualTo(SPEC_MSG_ID);
  }

  @Test
  void rejectsTheSpecsWrongSignature() {
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(headers(SPEC_WRONG_SIGNATURE), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("no v1 signature matches");
  }

  @Test
  void rejectsATamperedBody() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(headers(SPEC_SIGNATURE), tampered))
        .isInstanceOf(ShardhookException.InvalidSignature.class);
  }

  @Test
  void rejectsATamperedIdOrTimestamp() {
    Map<String, String> otherId = headers(SPEC_SIGNATURE);
    otherId.put("webhook-id", "msg_other");
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(otherId, payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class);

    Map<String, String> otherTime = headers(SPEC_SIGNATURE);
    otherTime.put("webhook-timestamp", Long.toString(SPEC_TIMESTAMP + 1));
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(otherTime, payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("no v1 signature matches");
  }

  @Test
  void rejectsAnotherSecret() {
    String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);
    assertThatThrownBy(() -> verifier(other).verify(headers(SPEC_SIGNATURE), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class);
  }

  @Test
  void acceptsAnyMatchingEntryOfSeveral() {
    String rotated = String.join(" ", SPEC_OTHER_V1, SPEC_OTHER_V2, SPEC_SIGNATURE, SPEC_OTHER_V1);
    assertThat(verifier(SPEC_SECRET).verify(headers(rotated), payload())).isEqualTo(SPEC_MSG_ID);
  }

  @Test
  void ignoresEntriesOfOtherVersionsEvenWithTheRightBytes() {
    String v2 = "v2," + SPEC_SIGNATURE.substring(3);
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(headers(v2), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class);
  }

  @Test
  void acceptsAnyOfSeveralSecretsForRotation() {
    String newSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    WebhookVerifier both = verifier(newSecret, SPEC_SECRET);

    assertThat(both.verify(headers(SPEC_SIGNATURE), payload())).isEqualTo(SPEC_MSG_ID);
    String signedWithNew = sign(newSecret, SPEC_MSG_ID, SPEC_TIMESTAMP, payload());
    assertThat(both.verify(headers(signedWithNew), payload())).isEqualTo(SPEC_MSG_ID);
    assertThat(WebhookVerifier.of(newSecret, SPEC_SECRET).tolerance())
        .isEqualTo(WebhookVerifier.DEFAULT_TOLERANCE);
  }

  @Test
  void aHeaderSignedWithTwoSecretsVerifiesWithEitherSecretAlone() {
    String newSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 7));
    String bothSignatures =
        sign(newSecret, SPEC_MSG_ID, SPEC_TIMESTAMP, payload()) + " " + SPEC_SIGNATURE;

    assertThat(verifier(newSecret).verify(headers(bothSignatures), payload()))
        .isEqualTo(SPEC_MSG_ID);
    assertThat(verifier(SPEC_SECRET).verify(headers(bothSignatures), payload()))
        .isEqualTo(SPEC_MSG_ID);
    assertThat(verifier(SPEC_SECRET, newSecret).verify(headers(bothSignatures), payload()))
        .isEqualTo(SPEC_MSG_ID);
    assertThat(
            WebhookVerifier.builder()
                .secret(newSecret)
                .secret(SPEC_SECRET)
                .clock(AT_SPEC_TIME)
                .build()
                .verify(headers(bothSignatures), payload()))
        .isEqualTo(SPEC_MSG_ID);
  }

  @Test
  void aSecretThatSignedNoEntryFailsEvenAmongRightOnes() {
    String newSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 7));
    String retired = "whsec_" + Base64.getEncoder().encodeToString(bytes(24, 9));
    String bothSignatures =
        sign(newSecret, SPEC_MSG_ID, SPEC_TIMESTAMP, payload()) + " " + SPEC_SIGNATURE;

    assertThatThrownBy(() -> verifier(retired).verify(headers(bothSignatures), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("no v1 signature matches");
    // After the rotation the receiver drops the old secret: a delivery signed only with it fails.
    assertThatThrownBy(() -> verifier(newSecret).verify(headers(SPEC_SIGNATURE), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class);
  }

  @Test
  void severalSecretsStillEnforceTheTimestampTolerance() {
    String newSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 7));
    String bothSignatures =
        sign(newSecret, SPEC_MSG_ID, SPEC_TIMESTAMP, payload()) + " " + SPEC_SIGNATURE;
    Instant signedAt = Instant.ofEpochSecond(SPEC_TIMESTAMP);
    WebhookVerifier later =
        WebhookVerifier.builder()
            .secret(newSecret)
            .secret(SPEC_SECRET)
            .clock(Clock.fixed(signedAt.plusSeconds(301), ZoneOffset.UTC))
            .build();

    assertThatThrownBy(() -> later.verify(headers(bothSignatures), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("too old (301 s ago");
  }

  @Test
  void aToleranceOfForeverDoesNotWrapAround() {
    WebhookVerifier forever =
        WebhookVerifier.builder()
            .secret(SPEC_SECRET)
            .tolerance(Duration.ofSeconds(Long.MAX_VALUE))
            .clock(AT_SPEC_TIME)
            .build();
    assertThat(forever.verify(headers(SPEC_SIGNATURE), payload())).isEqualTo(SPEC_MSG_ID);

    Map<String, String> ancient = headers(SPEC_SIGNATURE);
    ancient.put("webhook-timestamp", Long.toString(Long.MIN_VALUE));
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(ancient, payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("too old (" + Long.toUnsignedString(SPEC_TIMESTAMP - Long.MIN_VALUE));
  }

  private static byte[] bytes(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void enforcesTheTimestampToleranceBothWays() {
    Instant signedAt = Instant.ofEpochSecond(SPEC_TIMESTAMP);
    Duration fiveMinutes = Duration.ofMinutes(5);
    for (Instant now : new Instant[] {signedAt.plus(fiveMinutes), signedAt.minus(fiveMinutes)}) {
      WebhookVerifier atEdge =
          WebhookVerifier.builder()
              .secret(SPEC_SECRET)
              .clock(Clock.fixed(now, ZoneOffset.UTC))
              .build();
      assertThat(atEdge.verify(headers(SPEC_SIGNATURE), payload())).isEqualTo(SPEC_MSG_ID);
    }

    WebhookVerifier later =
        WebhookVerifier.builder()
            .secret(SPEC_SECRET)
            .clock(Clock.fixed(signedAt.plus(fiveMinutes).plusSeconds(1), ZoneOffset.UTC))
            .build();
    assertThatThrownBy(() -> later.verify(headers(SPEC_SIGNATURE), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("too old");

    WebhookVerifier earlier =
        WebhookVerifier.builder()
            .secret(SPEC_SECRET)
            .clock(Clock.fixed(signedAt.minus(fiveMinutes).minusSeconds(1), ZoneOffset.UTC))
            .build();
    assertThatThrownBy(() -> earlier.verify(headers(SPEC_SIGNATURE), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("too new");

    WebhookVerifier lenient =
        WebhookVerifier.builder()
            .secret(SPEC_SECRET)
            .tolerance(Duration.ofMinutes(10))
            .clock(Clock.fixed(signedAt.plus(Duration.ofMinutes(9)), ZoneOffset.UTC))
            .build();
    assertThat(lenient.verify(headers(SPEC_SIGNATURE), payload())).isEqualTo(SPEC_MSG_ID);
  }

  @Test
  void theSystemClockRejectsTheSpecsOldTimestamp() {
    assertThatThrownBy(
            () -> WebhookVerifier.of(SPEC_SECRET).verify(headers(SPEC_SIGNATURE), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageContaining("too old");
  }

  @ParameterizedTest
  @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
  void rejectsAMissingHeader(String name) {
    Map<String, String> h = headers(SPEC_SIGNATURE);
    h.remove(name);
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(h, payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessage(name + ": missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", "1614265330.5", ""})
  void rejectsAMalformedTimestamp(String timestamp) {
    Map<String, String> h = headers(SPEC_SIGNATURE);
    h.put("webhook-timestamp", timestamp);
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(h, payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class)
        .hasMessageStartingWith("webhook-timestamp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid_signature", "v1,", "v1,invalid_signature", "v1,g0hM9SsE"})
  void rejectsMalformedOrPartialSignatures(String signature) {
    assertThatThrownBy(() -> verifier(SPEC_SECRET).verify(headers(signature), payload()))
        .isInstanceOf(ShardhookException.InvalidSignature.class);
  }

  @Test
  void refusesUnusableSecretsAtBuildTime() {
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("whsec_not*base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("whsec_"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> WebhookVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no secret");
    assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** An independent signer, straight from the spec, for secrets without a published vector. */
  private static String sign(String secret, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
