package dev.shardhook.node.store;

import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import dev.shardhook.node.codec.OperationBinary;
import dev.shardhook.node.job.OperationRecord;

/**
 * The byte format of values in the {@code jobs}, {@code idempotency} and {@code operations} column
 * families. Values start with a format version: 1 for idempotency records and for jobs without
 * captured responses (as earlier builds wrote them), 2 for jobs whose attempts kept responses, 3
 * for jobs that were replayed: the version is the job's {@link JobBinary} layout, the first that
 * holds it, so a job never replayed is written as before.
 */
final class StoredValueCodec {
  static final int VERSION = 1;
  static final int VERSION_WITH_RESPONSES = 2;
  static final int VERSION_WITH_REPLAY = 3;
  static final int VERSION_WITH_POLICY = 4;

  private StoredValueCodec() {}

  static byte[] encode(StoredJob stored) {
    String body = stored.job().body();
    BinaryOut out = new BinaryOut(256 + (body == null ? 0 : body.length()));
    int layout = JobBinary.layoutOf(stored.job());
    out.writeByte(layout);
    JobBinary.writeJob(out, stored.job(), layout);
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

  /** A bulk operation, in format 1 of the {@code operations} column family. */
  static byte[] encode(OperationRecord op) {
    BinaryOut out = new BinaryOut(128);
    out.writeByte(VERSION);
    OperationBinary.write(out, op);
    return out.toByteArray();
  }

  static OperationRecord decodeOperation(byte[] bytes) {
    BinaryIn in = binary(bytes, VERSION);
    try {
      OperationRecord op = OperationBinary.read(in);
      in.expectEnd();
      return op;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable operation", e);
    }
  }

  static StoredJob decodeJob(byte[] bytes) {
    BinaryIn in = binary(bytes, VERSION_WITH_POLICY);
    try {
      StoredJob stored = new StoredJob(JobBinary.readJob(in, (int) bytes[0]), in.readString());
      in.expectEnd();
      return stored;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable stored job", e);
    }
  }

  static IdempotencyRecord decodeIdempotency(byte[] bytes) {
    BinaryIn in = binary(bytes, VERSION);
    try {
      IdempotencyRecord record =
          new IdempotencyRecord(in.readString(), in.readString(), in.readLong());
      in.expectEnd();
      return record;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable idempotency record", e);
    }
  }

  private static BinaryIn binary(byte[] bytes, int newestVersion) {
    if (bytes.length == 0) {
      throw new StoreException("empty stored value", null);
    }
    if (bytes[0] < VERSION || bytes[0] > newestVersion) {
      throw new StoreException("unknown stored value format version " + (bytes[0] & 0xFF), null);
    }
    return new BinaryIn(bytes, 1, bytes.length - 1);
  }
}
