package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationParserTest {
  @Test
  void readsShortForms() {
    assertThat(DurationParser.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationParser.parse("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(DurationParser.parse("20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(DurationParser.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationParser.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void readsIso8601() {
    assertThat(DurationParser.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationParser.parse("pt5s")).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsNonsenseWithAUsefulMessage() {
    assertThatThrownBy(() -> DurationParser.parse("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'soon'");
  }
}
