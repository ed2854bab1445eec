package dev.shardhook.node.codec;

import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;

/**
 * A {@link ScheduleRecord} in binary form, shared by the store, the log and replies: its components
 * in order. No version inside: the enclosing format carries it ({@link #encode} adds one for store
 * values).
 */
public final class ScheduleBinary {
  private static final int STORED_VERSION = 1;

  private ScheduleBinary() {}

  public static void write(BinaryOut out, ScheduleRecord s) {
    out.writeString(s.id());
    out.writeString(s.cron());
    out.writeString(s.syntax());
    out.writeString(s.timeZone());
    out.writeString(s.template());
    out.writeString(s.fingerprint());
    out.writeNullableLong(s.endAtMs());
    out.writeString(s.catchUp());
    out.writeBoolean(s.paused());
    out.writeLong(s.createdAtMs());
    out.writeNullableLong(s.lastFireAtMs());
    out.writeNullableLong(s.nextFireAtMs());
    out.writeLong(s.fired());
    out.writeLong(s.missed());
  }

  public static ScheduleRecord read(BinaryIn in) {
    return new ScheduleRecord(
        in.readString(),
        in.readString(),
        in.readString(),
        in.readString(),
        in.readString(),
        in.readString(),
        in.readNullableLong(),
        in.readString(),
        in.readBoolean(),
        in.readLong(),
        in.readNullableLong(),
        in.readNullableLong(),
        in.readLong(),
        in.readLong());
  }

  /** The store's value: a version byte, then the record. */
  public static byte[] encode(ScheduleRecord s) {
    BinaryOut out = new BinaryOut(256 + (s.template() == null ? 0 : s.template().length() * 3));
    out.writeByte(STORED_VERSION);
    write(out, s);
    return out.toByteArray();
  }

  public static ScheduleRecord decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != STORED_VERSION) {
      throw new IllegalArgumentException("unknown stored schedule format");
    }
    BinaryIn in = new BinaryIn(bytes, 1, bytes.length - 1);
    ScheduleRecord s = read(in);
    in.expectEnd();
    return s;
  }

  /** A schedule entry's reply: a version, the kind by ordinal, then the schedule if any. */
  public static byte[] encodeResult(ScheduleResult result) {
    BinaryOut out = new BinaryOut(512);
    out.writeByte(STORED_VERSION);
    out.writeByte(result.kind().ordinal());
    out.writeBoolean(result.schedule() != null);
    if (result.schedule() != null) {
      write(out, result.schedule());
    }
    return out.toByteArray();
  }

  public static ScheduleResult decodeResult(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != STORED_VERSION) {
      throw new IllegalArgumentException("unknown schedule reply format");
    }
    BinaryIn in = new BinaryIn(bytes, 1, bytes.length - 1);
    int kind = in.readByte();
    ScheduleResult.Kind[] kinds = ScheduleResult.Kind.values();
    if (kind < 0 || kind >= kinds.length) {
      throw new IllegalArgumentException("malformed binary value: schedule result kind " + kind);
    }
    ScheduleRecord s = in.readBoolean() ? read(in) : null;
    in.expectEnd();
    return new ScheduleResult(kinds[kind], s);
  }
}
