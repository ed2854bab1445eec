package dev.shardhook.node.store;

import dev.shardhook.node.job.JobHost;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.TenantIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte layouts of the list indexes: a scope (the tenant, then the status or the host), then the
 * creation time and scoped id as in {@link Keys#timeAndId}. Tenant names and hosts hold no NUL, so
 * a NUL closes each part and no scope is a prefix of another. Keys sort oldest first; listing scans
 * backwards.
 */
final class IndexKeys {
  private IndexKeys() {}

  /** The scope of the {@code by-created} index: every job of the tenant. */
  static byte[] tenantScope(String tenant) {
    return terminated(tenant);
  }

  static byte[] statusScope(String tenant, JobState status) {
    byte[] t = terminated(tenant);
    byte[] out = Arrays.copyOf(t, t.length + 1);
    out[t.length] = (byte) status.ordinal();
    return out;
  }

  static byte[] hostScope(String tenant, String host) {
    return concat(terminated(tenant), terminated(host));
  }

  static byte[] created(JobRecord job) {
    return entry(tenantScope(TenantIds.tenantOf(job.id())), job);
  }

  static byte[] status(JobRecord job, JobState status) {
    return entry(statusScope(TenantIds.tenantOf(job.id()), status), job);
  }

  static byte[] host(JobRecord job) {
    return entry(hostScope(TenantIds.tenantOf(job.id()), JobHost.of(job.url())), job);
  }

  static byte[] entry(byte[] scope, long createdAtMs, String id) {
    return concat(scope, Keys.timeAndId(createdAtMs, id));
  }

  /** The smallest key of {@code scope} created at or after {@code epochMs}. */
  static byte[] from(byte[] scope, long epochMs) {
    return concat(scope, Keys.from(epochMs));
  }

  /** The smallest key after every key of {@code scope}. */
  static byte[] end(byte[] scope) {
    byte[] out = scope.clone();
    out[out.length - 1]++;
    return out;
  }

  static long time(byte[] scope, byte[] key) {
    return ByteBuffer.wrap(key, scope.length, 8).getLong() ^ Long.MIN_VALUE;
  }

  static String id(byte[] scope, byte[] key) {
    int at = scope.length + 8;
    return new String(key, at, key.length - at, StandardCharsets.UTF_8);
  }

  private static byte[] entry(byte[] scope, JobRecord job) {
    return entry(scope, job.createdAt().toEpochMilli(), job.id());
  }

  private static byte[] terminated(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
