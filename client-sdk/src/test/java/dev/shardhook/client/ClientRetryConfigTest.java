package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientRetryConfigTest {
  @Test
  void defaultsAreTheConstants() {
    ClientRetryConfig c = ClientRetryConfig.ofDefaults();
    assertThat(c.maxAttempts()).isEqualTo(ClientRetryConfig.DEFAULT_MAX_ATTEMPTS);
    assertThat(c.initialBackoff()).isEqualTo(ClientRetryConfig.DEFAULT_INITIAL_BACKOFF);
    assertThat(c.maxBackoff()).isEqualTo(ClientRetryConfig.DEFAULT_MAX_BACKOFF);
    assertThat(c.multiplier()).isEqualTo(ClientRetryConfig.DEFAULT_MULTIPLIER);
    assertThat(c.jitter()).isEqualTo(ClientRetryConfig.DEFAULT_JITTER);
    assertThat(c.totalDeadline()).isEqualTo(ClientRetryConfig.DEFAULT_TOTAL_DEADLINE);
    assertThat(ClientRetryConfig.disabled().maxAttempts()).isEqualTo(1);
  }

  @Test
  void fromCopiesABaseToVary() {
    ClientRetryConfig base = ClientRetryConfig.custom().maxAttempts(9).jitter(0.1).build();
    ClientRetryConfig varied =
        ClientRetryConfig.from(base).totalDeadline(Duration.ofSeconds(3)).build();
    assertThat(varied.maxAttempts()).isEqualTo(9);
    assertThat(varied.jitter()).isEqualTo(0.1);
    assertThat(varied.totalDeadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(base.totalDeadline()).isEqualTo(ClientRetryConfig.DEFAULT_TOTAL_DEADLINE);
  }

  @Test
  void backoffGrowsAndIsCapped() {
    ClientRetryConfig c =
        ClientRetryConfig.custom()
            .initialBackoff(Duration.ofMillis(100))
            .multiplier(3)
            .maxBackoff(Duration.ofSeconds(1))
            .build();
    assertThat(c.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(c.backoff(2)).isEqualTo(Duration.ofMillis(300));
    assertThat(c.backoff(3)).isEqualTo(Duration.ofMillis(900));
    assertThat(c.backoff(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.backoff(500)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void refusesNonsense() {
    ClientRetryConfig.Builder b = ClientRetryConfig.custom();
    assertThatThrownBy(() -> b.maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> b.initialBackoff(Duration.ZERO))
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> b.multiplier(0.9)).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> b.multiplier(Double.NaN)).hasMessageContaining("multiplier");
    assertThatThrownBy(() -> b.jitter(1.0)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> b.totalDeadline(Duration.ofSeconds(-1)))
        .hasMessageContaining("totalDeadline");
    assertThatThrownBy(
            () ->
                ClientRetryConfig.custom()
                    .initialBackoff(Duration.ofSeconds(2))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff: must not be below initialBackoff");
  }
}
