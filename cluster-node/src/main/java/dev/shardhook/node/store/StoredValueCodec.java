package dev.shardhook.node.store;

import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;

/**
 * The byte format of values in the {@code jobs} and {@code idempotency} column families. Values
 * start with a format version.
 */
final class StoredValueCodec {
  static final int VERSION = 1;

  private StoredValueCodec() {}

  static byte[] encode(StoredJob stored) {
    String body = stored.job().body();
    BinaryOut out = new BinaryOut(256 + (body == null ? 0 : body.length()));
    out.writeByte(VERSION);
    JobBinary.writeJob(out, stored.job());
    out.writeString(stored.fingerprint());
    return out.toByteArray();
  }

  static byte[] encode(IdempotencyRecord record) {
    BinaryOut out = new BinaryOut(64);
    out.writeByte(VERSION);
    out.writeString(record.jobId());
    out.writeString(record.fingerprint());
    out.writeLong(record.expiresAtMs());
    return out.toByteArray();
  }

  static StoredJob decodeJob(byte[] bytes) {
    BinaryIn in = binary(bytes);
    try {
      StoredJob stored = new StoredJob(JobBinary.readJob(in), in.readString());
      in.expectEnd();
      return stored;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable stored job", e);
    }
  }

  static IdempotencyRecord decodeIdempotency(byte[] bytes) {
    BinaryIn in = binary(bytes);
    try {
      IdempotencyRecord record =
          new IdempotencyRecord(in.readString(), in.readString(), in.readLong());
      in.expectEnd();
      return record;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable idempotency record", e);
    }
  }

  private static BinaryIn binary(byte[] bytes) {
    if (bytes.length == 0) {
      throw new StoreException("empty stored value", null);
    }
    if (bytes[0] != VERSION) {
      throw new StoreException("unknown stored value format version " + (bytes[0] & 0xFF), null);
    }
    return new BinaryIn(bytes, 1, bytes.length - 1);
  }
}
