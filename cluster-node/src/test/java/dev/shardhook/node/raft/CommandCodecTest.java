package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.queue.QueueConfig;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
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
            RetrySettings.ofMillis(10, 1_000L, 3_600_000L, 2.0, 0L));
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
    return new NewJob(
        null, null, null, null, null, null, null, null, null, 0, RetrySettings.DEFAULTS);
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
        RetrySettings.ofMillis(0, Long.MIN_VALUE, Long.MAX_VALUE, Double.NaN, -1));
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

  /** Outcomes that kept an answer, an empty one and none. */
  static Command.Outcome capturedOutcomes() {
    AttemptOutcome full = fullOutcome();
    return new Command.Outcome(
        Arrays.asList(
            new AttemptOutcome(
                full.jobId(),
                full.attemptNumber(),
                full.startedAt(),
                full.durationMs(),
                500,
                "HTTP 500",
                null,
                false,
                JobSamples.capturedResponse()),
            new AttemptOutcome(
                "job-2",
                1,
                Instant.EPOCH,
                3,
                204,
                null,
                null,
                false,
                new CapturedResponse(null, null, false)),
            fullOutcome(),
            null),
        Arrays.asList(0.5, null, 0.25, null));
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
        new Command.Purge(Long.MAX_VALUE, Long.MIN_VALUE, 0),
        capturedOutcomes(),
        new Command.ExportedThrough(1_234_567_890_123L),
        new Command.ExportedThrough(-1),
        new Command.DestinationDisabled("hooks.example.com:443", 1_700_000_000_000L, "failing"),
        new Command.DestinationDisabled("::1:8080", 0, null),
        new Command.DestinationEnabled("hooks.example.com:443", 1_700_000_000_001L),
        replay(),
        new Command.Replay(0, null, List.of()),
        new Command.Replay(
            5,
            List.of(0, 1),
            List.of("t/a", "t/b"),
            "t/op_" + "a".repeat(32),
            new JobQuery.Position(1_760_000_000_000L, "t/z"),
            null,
            true),
        new Command.StartOperation(
            new OperationRecord(
                "t/op_" + "b".repeat(32),
                JobState.CANCELLED,
                "example.com",
                1L,
                null,
                "k-\u00e9",
                9,
                10L,
                3,
                4,
                new JobQuery.Position(-1, "")),
            1_760_000_000_123L),
        new Command.StartOperation(
            new OperationRecord(null, null, null, null, null, null, 0, null, 0, 0, null), 0),
        new Command.PutQueue(
            new QueueConfig(
                "t",
                "billing",
                new RetrySpec(3, 10L, null, 1.5, 0L),
                7,
                6.5,
                9,
                true,
                QueueConfig.OrderingOnFailure.SKIP,
                QueueConfig.OnDestinationDisabled.FAIL,
                3,
                1_760_000_000_000L),
            42),
        new Command.PutQueue(QueueConfig.implicitDefault("default"), 0),
        new Command.DeleteQueue("t", "billing", 1),
        new Command.SetQueuePaused("t", "q-é", true, 2),
        new Command.PurgeQueue("t", "billing", 1_760_000_000_000L, 1000, 3));
  }

  static Command.Replay replay() {
    return new Command.Replay(1_760_000_000_123L, List.of(1), List.of("a/job-\u00e9", "", "j:x"));
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
  void queueCommandsAreWrittenInFormatFour() {
    for (Command command :
        List.of(
            new Command.DeleteQueue("t", "q", 1),
            new Command.SetQueuePaused("t", "q", false, 1),
            new Command.PurgeQueue("t", "q", 5, 1000, 1))) {
      assertThat(CommandCodec.encode(command).byteAt(0))
          .isEqualTo((byte) CommandBinary.VERSION_WITH_POLICY);
    }
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

  /** Bytes the codec wrote before the node had its own job model: the log format is unchanged. */
  @Test
  void entriesLoggedByEarlierBuildsDecodeToTheSameBytes() throws Exception {
    byte[] logged = HexFormat.of().parseHex(resource("submit-entry.hex"));
    Command expected = new Command.Submit(1, 2, List.of(3), List.of(fullNewJob("{}")));
    assertThat(CommandCodec.decode(ByteString.copyFrom(logged))).isEqualTo(expected);
    assertThat(CommandCodec.encode(expected).toByteArray()).isEqualTo(logged);
  }

  /**
   * Bytes this build writes for outcomes that kept responses (format 2): later builds must read
   * them as this one does.
   */
  @Test
  void outcomesWithResponsesAreLoggedInFormat2AndDecodeFromItsGolden() throws Exception {
    byte[] logged = HexFormat.of().parseHex(resource("outcome-entry-v2.hex"));
    assertThat(logged[0]).isEqualTo((byte) CommandBinary.VERSION_WITH_RESPONSES);
    assertThat(CommandCodec.decode(ByteString.copyFrom(logged))).isEqualTo(capturedOutcomes());
    assertThat(CommandCodec.encode(capturedOutcomes()).toByteArray()).isEqualTo(logged);
  }

  /**
   * Bytes this build writes for a replay (format 3, kind 5): later builds must read them as this
   * one does, and earlier builds refuse them by their version.
   */
  @Test
  void replaysAreLoggedInFormat3AndDecodeFromItsGolden() throws Exception {
    byte[] logged = HexFormat.of().parseHex(resource("replay-entry-v3.hex"));
    assertThat(logged[0]).isEqualTo((byte) CommandBinary.VERSION_WITH_REPLAY);
    assertThat(CommandCodec.decode(ByteString.copyFrom(logged))).isEqualTo(replay());
    assertThat(CommandCodec.encode(replay()).toByteArray()).isEqualTo(logged);
  }

  /**
   * A submit whose jobs name a queue or an ordering key is format 4; one whose jobs name neither
   * stays in the format earlier builds read.
   */
  @Test
  void submitsNamingAQueueOrOrderingKeyAreLoggedInFormat4() {
    NewJob plain = fullNewJob("{}");
    NewJob ordered =
        new NewJob(
            plain.id(),
            plain.idempotencyKey(),
            plain.fingerprint(),
            plain.url(),
            plain.method(),
            plain.headers(),
            plain.body(),
            plain.runAt(),
            plain.delayMs(),
            plain.timeoutMs(),
            plain.retry(),
            "default",
            "key-\u00e9");
    Command.Submit mixed = new Command.Submit(1, 2, List.of(), List.of(plain, ordered));
    byte[] logged = CommandCodec.encode(mixed).toByteArray();
    assertThat(logged[0]).isEqualTo((byte) CommandBinary.VERSION_WITH_POLICY);
    Command.Submit back = (Command.Submit) CommandCodec.decode(ByteString.copyFrom(logged));
    assertThat(back).isEqualTo(mixed);
    assertThat(back.jobs().get(0).queue()).isEqualTo("default");
    assertThat(back.jobs().get(1).orderingKey()).isEqualTo("key-\u00e9");
    assertThat(CommandCodec.encode(new Command.Submit(1, 2, List.of(), List.of(plain))).byteAt(0))
        .isEqualTo((byte) CommandBinary.VERSION);
  }

  @Test
  void aJobWithAQueueIsRepliedInFormat4() {
    JobRecord job = JobSamples.policyJob();
    byte[] reply = CommandCodec.message(job).getContent().toByteArray();
    assertThat(reply[0]).isEqualTo((byte) ReplyBinary.VERSION_WITH_POLICY);
    assertThat(CommandCodec.job(ByteString.copyFrom(reply))).contains(job);
  }

  @Test
  void replayRepliesRoundTripInTheLowestVersionThatHoldsThem() {
    List<ReplayResult> plain =
        List.of(
            new ReplayResult(ReplayResult.Kind.NOT_REPLAYABLE, JobSamples.bareJob()),
            new ReplayResult(ReplayResult.Kind.NOT_FOUND, null),
            new ReplayResult(ReplayResult.Kind.QUEUE_FULL, JobSamples.fullJob("{}")));
    ByteString reply = CommandCodec.reply(new EntryApplier.ReplayReply(plain)).getContent();
    assertThat(reply.byteAt(0)).isEqualTo((byte) ReplyBinary.VERSION);
    assertThat(CommandCodec.replayResults(reply)).isEqualTo(plain);

    List<ReplayResult> replayed =
        List.of(
            new ReplayResult(ReplayResult.Kind.REPLAYED, JobSamples.replayedJob()),
            new ReplayResult(ReplayResult.Kind.NOT_FOUND, null));
    ByteString v3 = CommandCodec.reply(new EntryApplier.ReplayReply(replayed)).getContent();
    assertThat(v3.byteAt(0)).isEqualTo((byte) ReplyBinary.VERSION_WITH_REPLAY);
    assertThat(CommandCodec.replayResults(v3)).isEqualTo(replayed);
    assertThat(CommandCodec.job(CommandCodec.message(JobSamples.replayedJob()).getContent()))
        .contains(JobSamples.replayedJob());
  }

  /** The history exporter's position (kind 8) as this build logs it: later builds must read it. */
  @Test
  void exportPositionsDecodeFromTheirGolden() throws Exception {
    byte[] logged = HexFormat.of().parseHex(resource("exported-through-entry.hex"));
    Command expected = new Command.ExportedThrough(1_234_567_890_123L);
    assertThat(CommandCodec.decode(ByteString.copyFrom(logged))).isEqualTo(expected);
    assertThat(CommandCodec.encode(expected).toByteArray()).isEqualTo(logged);
  }

  /** Entries that kept nothing stay in format 1, readable by builds from before capture. */
  @Test
  void outcomesWithoutResponsesStayInFormat1() {
    Command.Outcome plain = new Command.Outcome(List.of(fullOutcome()), List.of(0.5));
    byte[] bytes = CommandCodec.encode(plain).toByteArray();
    assertThat(bytes[0]).isEqualTo((byte) CommandBinary.VERSION);
    assertThat(CommandCodec.decode(ByteString.copyFrom(bytes))).isEqualTo(plain);
    List<Command> commands = commands();
    for (int i = 0; i < commands.size(); i++) {
      byte[] encoded = CommandCodec.encode(commands.get(i)).toByteArray();
      boolean kept = commands.get(i).equals(capturedOutcomes());
      boolean replay =
          commands.get(i) instanceof Command.Replay
              || commands.get(i) instanceof Command.StartOperation;
      boolean policy =
          commands.get(i) instanceof Command.PutQueue
              || commands.get(i) instanceof Command.DeleteQueue
              || commands.get(i) instanceof Command.SetQueuePaused
              || commands.get(i) instanceof Command.PurgeQueue
              || commands.get(i) instanceof Command.DestinationDisabled
              || commands.get(i) instanceof Command.DestinationEnabled;
      assertThat(encoded[0])
          .as("command %d", i)
          .isEqualTo((byte) (policy ? 4 : replay ? 3 : kept ? 2 : 1));
    }
  }

  @Test
  void jobsWithResponsesAreRepliedInFormat2AndDecodeFromItsGolden() throws Exception {
    JobRecord job = JobSamples.capturedJob();
    byte[] golden = HexFormat.of().parseHex(resource("job-reply-v2.hex"));
    assertThat(golden[0]).isEqualTo((byte) ReplyBinary.VERSION_WITH_RESPONSES);
    assertThat(CommandCodec.job(ByteString.copyFrom(golden))).contains(job);
    assertThat(CommandCodec.message(job).getContent().toByteArray()).isEqualTo(golden);

    List<SubmitResult> replayed =
        List.of(
            new SubmitResult(SubmitResult.Kind.REPLAYED, job),
            new SubmitResult(SubmitResult.Kind.CREATED, JobSamples.fullJob("{}")));
    ByteString reply = CommandCodec.reply(replayed).getContent();
    assertThat(reply.byteAt(0)).isEqualTo((byte) ReplyBinary.VERSION_WITH_RESPONSES);
    assertThat(CommandCodec.submitResults(reply)).isEqualTo(replayed);
    CancelResult cancel = new CancelResult(CancelResult.Kind.ALREADY_FINISHED, job);
    ByteString cancelReply = CommandCodec.reply(cancel).getContent();
    assertThat(cancelReply.byteAt(0)).isEqualTo((byte) ReplyBinary.VERSION_WITH_RESPONSES);
    assertThat(CommandCodec.cancelResult(cancelReply)).isEqualTo(cancel);
  }

  @Test
  void aPolicyLoggedWithoutFieldsReadsAsTheDefaults() {
    for (boolean present : new boolean[] {false, true}) {
      BinaryOut out = new BinaryOut(16);
      out.writeBoolean(present);
      if (present) {
        out.writeNullableInt(null);
        out.writeNullableLong(null);
        out.writeNullableLong(null);
        out.writeNullableDouble(null);
        out.writeNullableLong(null);
      }
      byte[] bytes = out.toByteArray();
      assertThat(JobBinary.readRetry(new BinaryIn(bytes, 0, bytes.length)))
          .isEqualTo(RetrySettings.DEFAULTS);
    }
  }

  static String resource(String name) throws Exception {
    try (var in = CommandCodecTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
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
  void submitRepliesRoundTripInBinary() throws Exception {
    List<SubmitResult> results = submitResults();
    ByteString binary = CommandCodec.reply(results).getContent();
    assertThat(binary.byteAt(0)).isEqualTo((byte) ReplyBinary.VERSION);
    assertThat(CommandCodec.submitResults(binary)).isEqualTo(results);
    assertThat(CommandCodec.reply(results).getContent()).isEqualTo(binary);

    byte[] earlier = HexFormat.of().parseHex(resource("submit-reply.hex"));
    List<SubmitResult> created =
        List.of(new SubmitResult(SubmitResult.Kind.CREATED, JobSamples.fullJob("{}")));
    assertThat(CommandCodec.submitResults(ByteString.copyFrom(earlier))).isEqualTo(created);
    assertThat(CommandCodec.reply(created).getContent().toByteArray()).isEqualTo(earlier);

    byte[] unknown = binary.toByteArray();
    unknown[0] = 5;
    assertThatThrownBy(() -> CommandCodec.submitResults(ByteString.copyFrom(unknown)))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("unknown submit reply format version 5");
  }

  @Test
  void otherRepliesAndReadsRoundTripInBinary() {
    assertThat(CommandCodec.reply(null).getContent().isEmpty()).isTrue();
    for (CancelResult cancel :
        List.of(
            new CancelResult(CancelResult.Kind.CANCELLED, JobSamples.fullJob(null)),
            new CancelResult(CancelResult.Kind.ALREADY_FINISHED, JobSamples.bareJob()),
            new CancelResult(CancelResult.Kind.NOT_FOUND, null))) {
      ByteString reply = CommandCodec.reply(cancel).getContent();
      assertThat(reply.byteAt(0)).isEqualTo((byte) ReplyBinary.VERSION);
      assertThat(CommandCodec.cancelResult(reply)).isEqualTo(cancel);
    }
    for (JobRecord job :
        List.of(
            JobSamples.fullJob(JobSamples.largeBody()),
            JobSamples.bareJob(),
            JobSamples.emptyStringsJob())) {
      assertThat(CommandCodec.job(CommandCodec.message(job).getContent())).contains(job);
    }
    assertThat(CommandCodec.job(ByteString.EMPTY)).isEmpty();
    assertThat(CommandCodec.purgedCount(CommandCodec.reply(1_234L).getContent())).isEqualTo(1_234L);
    assertThat(CommandCodec.purgedCount(ByteString.EMPTY)).isZero();

    byte[] corrupt = CommandCodec.reply(1L).getContent().toByteArray();
    corrupt[0] = 4;
    assertThatThrownBy(() -> CommandCodec.purgedCount(ByteString.copyFrom(corrupt)))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("unknown count format version 4");
    assertThatThrownBy(() -> CommandCodec.reply("text"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
