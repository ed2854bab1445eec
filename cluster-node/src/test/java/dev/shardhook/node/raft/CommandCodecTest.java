package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.client.RetrySpec;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.NewJob;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader applies the command object it stamped, followers apply the decoded bytes: both must be
 * the same command, or the replicas would diverge.
 */
class CommandCodecTest {
  @Test
  void aStampedSubmitSurvivesTheLogUnchanged() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Z", "last");
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("X-A", "caf\u00e9 \"quoted\"");
    NewJob job =
        new NewJob(
            "job-1",
            "key-1",
            "fp",
            "https://example.com/hook?a=1&b=2",
            "PUT",
            headers,
            "{\"n\":1}\n\u2603",
            Instant.parse("2030-01-02T03:04:05.123456789Z"),
            null,
            10_000,
            new RetrySpec(10, 1_000L, 3_600_000L, 2.0, 0L));
    Command stamped =
        new Command.Submit(1_760_000_000_123L, 1_760_086_400_123L, List.of(1), List.of(job, job));

    Command logged = CommandCodec.decode(CommandCodec.encode(stamped));

    assertThat(logged).isEqualTo(stamped);
    assertThat(((Command.Submit) logged).jobs().get(0).headers().keySet())
        .containsExactly("X-Z", "Content-Type", "X-A");
    assertThat(CommandCodec.encode(logged)).isEqualTo(CommandCodec.encode(stamped));
  }

  @Test
  void jittersAndOutcomesSurviveBitForBit() {
    List<Double> jitters = List.of(0.0, 0.1 + 0.2, Math.nextDown(1.0), 1e-300);
    AttemptOutcome outcome =
        new AttemptOutcome(
            "job-1",
            3,
            Instant.parse("2030-01-02T03:04:05.001Z"),
            17,
            503,
            "HTTP 503",
            2_000L,
            false);
    Command stamped = new Command.Outcome(List.of(outcome, outcome, outcome, outcome), jitters);

    Command.Outcome logged = (Command.Outcome) CommandCodec.decode(CommandCodec.encode(stamped));

    assertThat(logged).isEqualTo(stamped);
    for (int i = 0; i < jitters.size(); i++) {
      assertThat(Double.doubleToRawLongBits(logged.jitters().get(i)))
          .isEqualTo(Double.doubleToRawLongBits(jitters.get(i)));
    }
  }
}
