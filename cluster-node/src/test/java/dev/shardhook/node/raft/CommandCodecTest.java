package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.WireJson;
import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
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

  static NewJob fullNewJob(String body) {
    return new NewJob(
        "job-\u00e9",
        "key-\u65e5\u672c",
        "fp",
        "https://example.com/hook?a=\u2603",
        "POST",
        JobSamples.headers(),
        body,
        Instant.parse("2030-01-02T03:04:05.123456789Z"),
        1_500L,
        10_000,
        JobSamples.retry());
  }

  static NewJob bareNewJob() {
    return new NewJob(null, null, null, null, null, null, null, null, null, 0, null);
  }

  static NewJob emptyStringsNewJob() {
    return new NewJob(
        "",
        "",
        "",
        "",
        "",
        new LinkedHashMap<>(),
        "lone \uD800 surrogate",
        Instant.ofEpochSecond(-1, 999_999_999),
        -1L,
        -1,
        new RetrySpec(null, null, null, null, null));
  }

  static AttemptOutcome fullOutcome() {
    return new AttemptOutcome(
        "job-\u00e9",
        2,
        Instant.parse("2030-01-02T03:04:05.000000007Z"),
        1_234,
        429,
        "HTTP 429 \u2603",
        60_000L,
        true);
  }

  /** Every command kind, with fields set, null, empty and large. */
  static List<Command> commands() {
    return List.of(
        new Command.Submit(
            1_760_000_000_123L,
            1_760_086_400_123L,
            List.of(0, 3),
            List.of(
                fullNewJob("{\"n\":1}"),
                bareNewJob(),
                emptyStringsNewJob(),
                fullNewJob(JobSamples.largeBody()))),
        new Command.Submit(0, 0, null, null),
        new Command.Submit(-1, Long.MAX_VALUE, List.of(), List.of()),
        new Command.Submit(1, 2, List.of(), Arrays.asList(fullNewJob(null), null)),
        new Command.Outcome(
            Arrays.asList(
                fullOutcome(),
                new AttemptOutcome(null, 0, null, 0, null, null, null, false),
                new AttemptOutcome("", -1, Instant.EPOCH, -5, -1, "", -1L, false),
                null),
            Arrays.asList(0.5, null, -0.0, Double.NaN)),
        new Command.Outcome(null, null),
        new Command.Outcome(List.of(), List.of()),
        new Command.Cancel("job-\u00e9", 1_760_000_000_123L),
        new Command.Cancel(null, Long.MIN_VALUE),
        new Command.Cancel("", 0),
        new Command.Purge(1_760_000_000_123L, 1_759_000_000_000L, 1_000),
        new Command.Purge(Long.MAX_VALUE, Long.MIN_VALUE, 0));
  }

  @Test
  void everyCommandKindSurvivesTheLogUnchanged() {
    for (Command command : commands()) {
      ByteString logged = CommandCodec.encode(command);
      Command decoded = CommandCodec.decode(logged);
      assertThat(decoded).isEqualTo(command);
      assertThat(CommandCodec.encode(decoded)).isEqualTo(logged);
    }
    Command.Submit submit =
        (Command.Submit) CommandCodec.decode(CommandCodec.encode(commands().get(0)));
    assertThat(submit.jobs().get(0).headers().keySet())
        .containsExactlyElementsOf(JobSamples.headers().keySet());
    assertThat(submit.jobs().get(2).headers()).isNotNull().isEmpty();
    assertThat(submit.jobs().get(1).headers()).isNull();
  }

  @Test
  void encodingTheSameCommandTwiceGivesTheSameBytes() {
    for (Command command : commands()) {
      assertThat(CommandCodec.encode(command).toByteArray())
          .isEqualTo(CommandCodec.encode(command).toByteArray());
    }
  }

  @Test
  void aProposalDecodesAsTheCommandItCarries() {
    for (Command command : commands()) {
      assertThat(CommandCodec.decode(CommandCodec.proposal(command).getContent()))
          .isEqualTo(command);
    }
  }

  @Test
  void entriesLoggedAsJsonByEarlierBuildsStillDecode() throws Exception {
    for (Command command : commands()) {
      ByteString json = ByteString.copyFrom(WireJson.mapper().writeValueAsBytes(command));
      assertThat(json.byteAt(0)).isEqualTo((byte) '{');
      Command decoded = CommandCodec.decode(json);
      assertThat(decoded).isEqualTo(command);
      assertThat(CommandCodec.encode(decoded)).isEqualTo(CommandCodec.encode(command));
    }
  }

  @Test
  void anUnknownVersionOrACorruptEntryIsUndecodable() {
    byte[] bytes = CommandCodec.encode(commands().get(7)).toByteArray();
    bytes[0] = 9;
    assertThatThrownBy(() -> CommandCodec.decode(ByteString.copyFrom(bytes)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("undecodable log entry")
        .hasRootCauseMessage("unknown log entry format version 9");
    byte[] good = CommandCodec.encode(commands().get(0)).toByteArray();
    assertThatThrownBy(() -> CommandCodec.decode(ByteString.copyFrom(good, 0, good.length - 1)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("undecodable log entry");
    assertThatThrownBy(() -> CommandCodec.decode(ByteString.EMPTY))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("undecodable log entry");
    assertThatThrownBy(() -> CommandCodec.decode(ByteString.copyFrom(new byte[] {1, 42})))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("unknown command kind 42");
  }

  static List<SubmitResult> submitResults() {
    return Arrays.asList(
        new SubmitResult(SubmitResult.Kind.CREATED, JobSamples.fullJob("{}")),
        new SubmitResult(SubmitResult.Kind.REPLAYED, JobSamples.bareJob()),
        new SubmitResult(SubmitResult.Kind.MISMATCH, JobSamples.emptyStringsJob()),
        new SubmitResult(SubmitResult.Kind.QUEUE_FULL, null),
        new SubmitResult(null, JobSamples.fullJob(JobSamples.largeBody())),
        null);
  }

  @Test
  void submitRepliesRoundTripInBinaryAndStillReadJson() throws Exception {
    List<SubmitResult> results = submitResults();
    ByteString binary = CommandCodec.reply(results).getContent();
    assertThat(binary.byteAt(0)).isEqualTo((byte) SubmitResultsBinary.VERSION);
    assertThat(CommandCodec.submitResults(binary)).isEqualTo(results);
    assertThat(CommandCodec.reply(results).getContent()).isEqualTo(binary);

    List<SubmitResult> nonNull = results.subList(0, 5);
    ByteString json = CommandCodec.message(nonNull).getContent();
    assertThat(json.byteAt(0)).isEqualTo((byte) '[');
    assertThat(CommandCodec.submitResults(json)).isEqualTo(nonNull);

    byte[] unknown = binary.toByteArray();
    unknown[0] = 5;
    assertThatThrownBy(() -> CommandCodec.submitResults(ByteString.copyFrom(unknown)))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("unknown submit reply format version 5");
  }

  @Test
  void otherRepliesStayJson() {
    assertThat(CommandCodec.reply(null).getContent().isEmpty()).isTrue();
    CancelResult cancel = new CancelResult(CancelResult.Kind.CANCELLED, JobSamples.fullJob(null));
    assertThat(CommandCodec.cancelResult(CommandCodec.reply(cancel).getContent()))
        .isEqualTo(cancel);
  }
}
