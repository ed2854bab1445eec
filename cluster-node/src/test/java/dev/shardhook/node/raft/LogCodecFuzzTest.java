package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.SubmitResult;
import java.util.List;
import java.util.function.Function;

/**
 * Log entries and replies arrive from peers and from disk after a crash, so their decoders meet
 * arbitrary bytes: the only failure they may show is the documented {@link
 * IllegalArgumentException} (never an out-of-bounds index, a negative array size, an allocation
 * sized by a corrupt length, or a loop that does not end), and whatever decodes must encode back to
 * the same value. Seeds: {@code src/test/resources/dev/shardhook/node/raft/LogCodecFuzzTestInputs}.
 */
class LogCodecFuzzTest {
  @FuzzTest(maxDuration = "12s")
  void logEntriesAndRepliesDecodeOrFailCleanly(byte[] bytes) {
    Command command = decoded(bytes, CommandBinary::decode);
    if (command != null) {
      byte[] encoded = CommandBinary.encode(command);
      assertThat(CommandBinary.decode(encoded)).isEqualTo(command);
      assertThat(CommandBinary.encode(CommandBinary.decode(encoded))).isEqualTo(encoded);
    }

    List<SubmitResult> results = decoded(bytes, ReplyBinary::decodeSubmitResults);
    if (results != null) {
      assertThat(ReplyBinary.decodeSubmitResults(ReplyBinary.encodeSubmitResults(results)))
          .isEqualTo(results);
    }

    CancelResult cancel = decoded(bytes, ReplyBinary::decodeCancel);
    if (cancel != null) {
      assertThat(ReplyBinary.decodeCancel(ReplyBinary.encodeCancel(cancel))).isEqualTo(cancel);
    }

    JobRecord job = decoded(bytes, ReplyBinary::decodeJob);
    if (job != null) {
      assertThat(ReplyBinary.decodeJob(ReplyBinary.encodeJob(job))).isEqualTo(job);
    }

    Long count = decoded(bytes, ReplyBinary::decodeCount);
    if (count != null) {
      assertThat(ReplyBinary.decodeCount(ReplyBinary.encodeCount(count))).isEqualTo(count);
    }
  }

  /** The decoded value, or null when the decoder refused the bytes as documented. */
  private static <T> T decoded(byte[] bytes, Function<byte[], T> decoder) {
    try {
      return decoder.apply(bytes);
    } catch (IllegalArgumentException malformed) {
      // Subclasses such as NumberFormatException would come from a parser the codec calls, not
      // from its own checks.
      assertThat(malformed).isExactlyInstanceOf(IllegalArgumentException.class);
      return null;
    }
  }
}
