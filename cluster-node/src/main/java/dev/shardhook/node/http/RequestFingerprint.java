package dev.shardhook.node.http;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.RetrySettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash that tells a replay of a submission from a conflicting reuse of its id or key.
 *
 * <p>It covers what the job will do, after defaults are filled in, so leaving a field out and
 * sending its default are the same request. The generated id is left out (two identical requests
 * without an id would otherwise never match), and so is the idempotency key, which is what the
 * fingerprint is compared under. Header names count case-insensitively, as HTTP reads them. Every
 * field is length-prefixed and null is told from empty, so no two different requests share an
 * encoding. Stored fingerprints outlive releases: changing the encoding turns every replay within
 * the idempotency window into a 422, hence the version tag.
 */
final class RequestFingerprint {
  private static final String VERSION = "shardhook-fingerprint-v1";

  private RequestFingerprint() {}

  /**
   * @param job the validated job; its id and fingerprint are ignored
   * @param clientId the id the client chose, or null
   */
  static String of(NewJob job, String clientId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      string(out, VERSION);
      string(out, job.url());
      string(out, job.method());
      Map<String, String> sorted = new TreeMap<>();
      job.headers().forEach((name, value) -> sorted.put(name.toLowerCase(Locale.ROOT), value));
      out.writeInt(sorted.size());
      for (Map.Entry<String, String> h : sorted.entrySet()) {
        string(out, h.getKey());
        string(out, h.getValue());
      }
      string(out, job.body());
      Instant runAt = job.runAt();
      optionalLong(out, runAt == null ? null : runAt.getEpochSecond());
      out.writeInt(runAt == null ? 0 : runAt.getNano());
      optionalLong(out, job.delayMs());
      out.writeLong(job.timeoutMs());
      RetrySettings r = job.retry();
      out.writeInt(r.maxAttempts());
      out.writeLong(r.initialBackoff().toMillis());
      out.writeLong(r.maxBackoff().toMillis());
      out.writeDouble(r.multiplier());
      out.writeLong(r.maxRetryDuration().toMillis());
      string(out, clientId == null ? "" : clientId);
      // Only jobs that name them hash them, so fingerprints of earlier jobs stay what they were.
      if (!job.queue().equals(JobRecord.DEFAULT_QUEUE) || job.orderingKey() != null) {
        string(out, job.queue());
        string(out, job.orderingKey());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(sha256().digest(bytes.toByteArray()));
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static void optionalLong(DataOutputStream out, Long v) throws IOException {
    out.writeBoolean(v != null);
    out.writeLong(v == null ? 0 : v);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
