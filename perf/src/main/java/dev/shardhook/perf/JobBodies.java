package dev.shardhook.perf;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.StringJoiner;

/** The {@code POST /jobs} documents the scenarios send. */
final class JobBodies {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 -_.,:;";

  private JobBodies() {}

  /** {@code bytes} bytes of ASCII text that needs no escaping inside a JSON string. */
  static String payload(int bytes) {
    StringBuilder out = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      out.append(ALPHABET.charAt(i % ALPHABET.length()));
    }
    return out.toString();
  }

  /** A job that is accepted now and due only at {@code runAt} (so only acceptance is measured). */
  static String scheduledJob(String url, Instant runAt, String body) {
    return "{\"url\":"
        + Json.quote(url)
        + ",\"runAt\":"
        + Json.quote(runAt.truncatedTo(ChronoUnit.MILLIS).toString())
        + ",\"body\":"
        + Json.quote(body)
        + "}";
  }

  /** A job with its own id, due at once. */
  static String immediateJob(String id, String url, String body) {
    return "{\"id\":"
        + Json.quote(id)
        + ",\"url\":"
        + Json.quote(url)
        + ",\"body\":"
        + Json.quote(body)
        + ",\"headers\":{\"Content-Type\":\"text/plain\"}}";
  }

  /** {@link #immediateJob} due at {@code runAt} instead. */
  static String jobDueAt(String id, String url, String body, Instant runAt) {
    return "{\"id\":"
        + Json.quote(id)
        + ",\"url\":"
        + Json.quote(url)
        + ",\"runAt\":"
        + Json.quote(runAt.truncatedTo(ChronoUnit.MILLIS).toString())
        + ",\"body\":"
        + Json.quote(body)
        + ",\"headers\":{\"Content-Type\":\"text/plain\"}}";
  }

  /** A job with its own id that stays stored until {@code runAt} (listing measurements). */
  static String storedJob(String id, String url, Instant runAt) {
    return "{\"id\":"
        + Json.quote(id)
        + ",\"url\":"
        + Json.quote(url)
        + ",\"runAt\":"
        + Json.quote(runAt.truncatedTo(ChronoUnit.MILLIS).toString())
        + "}";
  }

  /** A {@code POST /jobs:batch} body: the given job documents as one JSON array. */
  static String batch(Collection<String> jobs) {
    StringJoiner out = new StringJoiner(",", "[", "]");
    jobs.forEach(out::add);
    return out.toString();
  }
}
