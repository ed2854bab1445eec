package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignerTest {
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void matchesTheStandardWebhooksExample() {
    WebhookSigner signer = new WebhookSigner(SPEC_SECRET);
    String signature =
        signer.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signsAnEmptyBody() {
    WebhookSigner signer = new WebhookSigner(SPEC_SECRET);
    assertThat(signer.sign("id", 1, null)).isEqualTo(signer.sign("id", 1, new byte[0]));
    assertThat(signer.sign("id", 1, new byte[0]))
        .startsWith("v1,")
        .isNotEqualTo(signer.sign("id", 2, null));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not*base64!"})
  void rejectsMalformedSecrets(String secret) {
    assertThatThrownBy(() -> new WebhookSigner(secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signing secret");
  }

  @Test
  void rejectsShortKeys() {
    String eightBytes = "whsec_" + Base64.getEncoder().encodeToString(new byte[8]);
    assertThatThrownBy(() -> new WebhookSigner(eightBytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 bytes");
  }
}
