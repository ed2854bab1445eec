package dev.shardhook.node.store;

import dev.shardhook.node.job.JobRecord;

/**
 * A job record as bytes, in the store's own value format, for copies kept outside RocksDB (the
 * history database): what the store can read, the history can read back.
 */
public final class JobBytes {
  private JobBytes() {}

  public static byte[] encode(JobRecord job) {
    return StoredValueCodec.encode(new StoredJob(job, ""));
  }

  public static JobRecord decode(byte[] bytes) {
    return StoredValueCodec.decodeJob(bytes).job();
  }
}
