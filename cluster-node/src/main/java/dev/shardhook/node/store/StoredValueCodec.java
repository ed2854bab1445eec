package dev.shardhook.node.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardhook.api.WireJson;
import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import java.io.IOException;

/**
 * The byte format of values in the {@code jobs} and {@code idempotency} column families. Values
 * start with a format version; a value starting with {@code '{'} was written as JSON by an earlier
 * build and is still read, so existing databases and snapshots load.
 */
final class StoredValueCodec {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = WireJson.mapper();

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

  static StoredJob decodeJob(byte[] bytes) throws IOException {
    if (isJson(bytes)) {
      return JSON.readValue(bytes, StoredJob.class);
    }
    BinaryIn in = binary(bytes);
    try {
      StoredJob stored = new StoredJob(JobBinary.readJob(in), in.readString());
      in.expectEnd();
      return stored;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable stored job", e);
    }
  }

  static IdempotencyRecord decodeIdempotency(byte[] bytes) throws IOException {
    if (isJson(bytes)) {
      return JSON.readValue(bytes, IdempotencyRecord.class);
    }
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

  private static boolean isJson(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == '{';
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
