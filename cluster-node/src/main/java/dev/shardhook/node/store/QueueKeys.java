package dev.shardhook.node.store;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte layouts of the queue families (README, "Queues"). In {@code queues}: a kind byte (1 for a
 * configuration, 2 for counts), the tenant and a NUL, then the queue's name. In {@code
 * queue-pending}: the tenant and the queue, each NUL-terminated, then the job's creation time and
 * scoped id as in {@link Keys#timeAndId}, so a purge takes the oldest first.
 */
final class QueueKeys {
  private static final byte CONFIG = 1;
  private static final byte COUNTS = 2;

  private QueueKeys() {}

  static byte[] config(String tenant, String name) {
    return concat(configs(tenant), utf8(name));
  }

  /** The prefix of every configuration of {@code tenant}. */
  static byte[] configs(String tenant) {
    return kind(CONFIG, tenant);
  }

  static byte[] counts(String tenant, String name) {
    return concat(kind(COUNTS, tenant), utf8(name));
  }

  static byte[] pendingScope(String tenant, String queue) {
    return concat(terminated(tenant), terminated(queue));
  }

  static byte[] pending(JobRecord job) {
    return IndexKeys.entry(
        pendingScope(TenantIds.tenantOf(job.id()), job.queue()),
        job.createdAt().toEpochMilli(),
        job.id());
  }

  private static byte[] kind(byte kind, String tenant) {
    byte[] t = terminated(tenant);
    byte[] out = new byte[t.length + 1];
    out[0] = kind;
    System.arraycopy(t, 0, out, 1, t.length);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] terminated(String s) {
    byte[] b = utf8(s);
    return Arrays.copyOf(b, b.length + 1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
