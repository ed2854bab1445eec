package dev.shardhook.perf;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook to deliver, as both systems of the {@code deliver} scenario get it: an id (the {@code
 * webhook-id} the sink records), the sink URL and a body.
 */
record WebhookJob(String id, String url, String body) {

  /** The Shardhook {@code POST /jobs} document: due at once. */
  String json() {
    return JobBodies.immediateJob(id, url, body);
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
