package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The SDK waits as long as a server's {@code Retry-After} says: whatever the header holds, it reads
 * as a non-negative wait or as nothing, and never throws out of the client's retry loop. Seeds:
 * {@code src/test/resources/dev/shardhook/client/RetryAfterHeaderFuzzTestInputs}.
 */
class RetryAfterHeaderFuzzTest {
  private static final Instant[] NOWS = {Instant.parse("2015-10-21T07:28:00Z"), Instant.EPOCH};

  @FuzzTest(maxDuration = "10s")
  void anyHeaderGivesAWaitOrNone(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);
    for (Instant now : NOWS) {
      RetryAfterHeader.parse(value, now)
          .ifPresent(wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ZERO));
    }
  }
}
