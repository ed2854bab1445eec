package dev.shardhook.node.raft;

import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import dev.shardhook.node.job.SubmitResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary layout of a submit entry's reply: version, count, then per result a kind code and the
 * job. Every replica builds this reply when it applies the entry, so it is on the per-job path.
 */
final class SubmitResultsBinary {
  static final int VERSION = 1;

  private SubmitResultsBinary() {}

  /** Takes the untyped reply of a submit entry; each element must be a {@link SubmitResult}. */
  static byte[] encode(List<?> results) {
    BinaryOut out = new BinaryOut(64 + 256 * results.size());
    out.writeByte(VERSION);
    out.writeCount(results.size());
    for (Object element : results) {
      SubmitResult result = (SubmitResult) element;
      out.writeBoolean(result != null);
      if (result == null) {
        continue;
      }
      out.writeByte(kindCode(result.kind()));
      out.writeBoolean(result.job() != null);
      if (result.job() != null) {
        JobBinary.writeJob(out, result.job());
      }
    }
    return out.toByteArray();
  }

  static List<SubmitResult> decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != VERSION) {
      throw new IllegalArgumentException(
          "unknown submit reply format version " + (bytes.length == 0 ? "(empty)" : bytes[0]));
    }
    BinaryIn in = new BinaryIn(bytes, 1, bytes.length - 1);
    int count = in.readCount();
    if (count < 0) {
      throw new IllegalArgumentException("malformed binary value: null submit results");
    }
    List<SubmitResult> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (!in.readBoolean()) {
        results.add(null);
        continue;
      }
      SubmitResult.Kind kind = kind(in.readByte());
      results.add(new SubmitResult(kind, in.readBoolean() ? JobBinary.readJob(in) : null));
    }
    in.expectEnd();
    return results;
  }

  // Fixed codes rather than ordinals, so reordering the enum cannot change the wire format.
  private static int kindCode(SubmitResult.Kind kind) {
    if (kind == null) {
      return 0;
    }
    return switch (kind) {
      case CREATED -> 1;
      case REPLAYED -> 2;
      case MISMATCH -> 3;
      case QUEUE_FULL -> 4;
      case UNAPPLICABLE -> 5;
    };
  }

  private static SubmitResult.Kind kind(int code) {
    return switch (code) {
      case 0 -> null;
      case 1 -> SubmitResult.Kind.CREATED;
      case 2 -> SubmitResult.Kind.REPLAYED;
      case 3 -> SubmitResult.Kind.MISMATCH;
      case 4 -> SubmitResult.Kind.QUEUE_FULL;
      case 5 -> SubmitResult.Kind.UNAPPLICABLE;
      default -> throw new IllegalArgumentException("malformed binary value: submit kind " + code);
    };
  }
}
