package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code Retry-After} comes from receivers, which are not trusted: whatever the header holds,
 * {@link RetryAfter} answers a delay in {@code [0, MAX]} or nothing, and never throws, at any clock
 * reading. Each input is one header value per line (a response may repeat the header). Seeds:
 * {@code src/test/resources/dev/shardhook/node/delivery/RetryAfterFuzzTestInputs}.
 */
class RetryAfterFuzzTest {
  private static final Instant[] NOWS = {
    Instant.parse("2026-03-01T12:00:00Z"), Instant.EPOCH, Instant.MIN, Instant.MAX, null
  };

  @FuzzTest(maxDuration = "10s")
  void anyHeaderGivesABoundedDelayOrNone(byte[] input) {
    // Header values are Latin-1 on the wire; OkHttp hands them over as such.
    String text = new String(input, StandardCharsets.ISO_8859_1);
    for (Instant now : NOWS) {
      for (String value : text.split("\n", -1)) {
        check(RetryAfter.parse(value, now));
      }
      check(RetryAfter.parse(Arrays.asList(text.split("\n", -1)), now));
    }
  }

  private static void check(Optional<Duration> delay) {
    delay.ifPresent(d -> assertThat(d).isBetween(Duration.ZERO, RetryAfter.MAX));
  }
}
