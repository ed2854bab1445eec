package dev.shardhook.node.codec;

import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.OperationRecord;

/**
 * An {@link OperationRecord} in binary form, shared by the store, the log and replies: its
 * components in order, the status by name, the position as a presence flag, time and id. No
 * version: the enclosing format carries it.
 */
public final class OperationBinary {
  private OperationBinary() {}

  public static void write(BinaryOut out, OperationRecord op) {
    out.writeString(op.id());
    out.writeString(op.status() == null ? null : op.status().name());
    out.writeString(op.host());
    out.writeNullableLong(op.createdAfter());
    out.writeNullableLong(op.createdBefore());
    out.writeString(op.idempotencyKey());
    out.writeLong(op.createdAtMs());
    out.writeNullableLong(op.finishedAtMs());
    out.writeLong(op.replayed());
    out.writeLong(op.skipped());
    writePosition(out, op.position());
  }

  public static OperationRecord read(BinaryIn in) {
    String id = in.readString();
    String status = in.readString();
    return new OperationRecord(
        id,
        status == null ? null : JobState.valueOf(status),
        in.readString(),
        in.readNullableLong(),
        in.readNullableLong(),
        in.readString(),
        in.readLong(),
        in.readNullableLong(),
        in.readLong(),
        in.readLong(),
        readPosition(in));
  }

  public static void writePosition(BinaryOut out, JobQuery.Position position) {
    out.writeBoolean(position != null);
    if (position != null) {
      out.writeLong(position.createdAtMs());
      out.writeString(position.id());
    }
  }

  public static JobQuery.Position readPosition(BinaryIn in) {
    return in.readBoolean() ? new JobQuery.Position(in.readLong(), in.readString()) : null;
  }
}
