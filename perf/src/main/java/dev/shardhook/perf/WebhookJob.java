package dev.shardhook.perf;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook to deliver, as both systems of the {@code deliver} scenario get it: an id (the {@code
 * webhook-id} the sink records), the sink URL, a body, and when it is due (null: at once).
 */
record WebhookJob(String id, String url, String body, Instant runAt) {

  WebhookJob(String id, String url, String body) {
    this(id, url, body, null);
  }

  /** The Shardhook {@code POST /jobs} document: due at once, or at {@link #runAt}. */
  String json() {
    return runAt == null
        ? JobBodies.immediateJob(id, url, body)
        : JobBodies.jobDueAt(id, url, body, runAt);
  }

  /** The same jobs, every one due at {@code runAt}. */
  static List<WebhookJob> dueAt(List<WebhookJob> jobs, Instant runAt) {
    return jobs.stream().map(j -> new WebhookJob(j.id(), j.url(), j.body(), runAt)).toList();
  }

  /**
   * {@code count} jobs with ids {@code prefix-0 … prefix-(count-1)}, spread round-robin over the
   * sink's {@code urls}.
   */
  static List<WebhookJob> spread(String prefix, int count, List<URI> urls, String body) {
    List<WebhookJob> jobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      jobs.add(new WebhookJob(prefix + "-" + i, urls.get(i % urls.size()).toString(), body));
    }
    return jobs;
  }
}
