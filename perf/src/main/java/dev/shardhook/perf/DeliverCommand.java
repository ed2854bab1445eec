package dev.shardhook.perf;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Delivery throughput: starts a {@link WebhookSink} with a fixed latency, submits {@code jobs} jobs
 * due at once that point at it, and measures from the first submission to the last first delivery.
 * Counts duplicates (a {@code webhook-id} seen twice) and lost jobs (acknowledged but never
 * delivered before the timeout).
 */
@Command(
    name = "deliver",
    mixinStandardHelpOptions = true,
    description = "Submit N jobs at a local webhook sink and measure delivery throughput.")
final class DeliverCommand implements Callable<Integer> {
  @Option(names = "--entry", required = true, description = "Entry URL, e.g. http://127.0.0.1:8080")
  URI entry;

  @Option(names = "--jobs", defaultValue = "20000", description = "Jobs (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--latency-ms",
      defaultValue = "100",
      description = "Sink latency per request (default ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(names = "--sink-port", defaultValue = "0", description = "Sink port; 0: a free one")
  int sinkPort;

  @Option(
      names = "--sink-hosts",
      defaultValue = "4",
      description =
          "Loopback addresses the sink listens on (127.0.0.1..N), jobs spread over them; the node"
              + " limits concurrency per host (default ${DEFAULT-VALUE})")
  int sinkHosts;

  @Option(
      names = "--workers",
      description = "The leaders' delivery workers in total; adds bound and efficiency")
  Integer workers;

  @Option(
      names = "--per-host-concurrency",
      defaultValue = "64",
      description = "The node's per-host limit, for the bound (default ${DEFAULT-VALUE})")
  int perHostConcurrency;

  @Option(names = "--batch-size", defaultValue = "500", description = "Jobs per POST /jobs:batch")
  int batchSize;

  @Option(names = "--submitters", defaultValue = "4", description = "Concurrent batch requests")
  int submitters;

  @Option(names = "--payload", defaultValue = "64", description = "Job body bytes")
  int payloadBytes;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      description = "Give up waiting for deliveries after (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--settle",
      defaultValue = "2s",
      description = "Keep listening this long after the last delivery, for duplicates")
  Duration settle;

  private final PrintStream progress = System.err;

  @Override
  public Integer call() throws Exception {
    if (jobs < 1 || latencyMs < 0 || sinkHosts < 1 || sinkHosts > 250 || batchSize < 1) {
      throw new IllegalArgumentException(
          "--jobs >= 1, --latency-ms >= 0, --sink-hosts 1..250, --batch-size >= 1");
    }
    List<String> hosts = new ArrayList<>();
    for (int i = 1; i <= sinkHosts; i++) {
      hosts.add("127.0.0." + i);
    }
    try (WebhookSink sink = WebhookSink.start(hosts, sinkPort, Duration.ofMillis(latencyMs));
        NodeHttp http = new NodeHttp(entry, Duration.ofSeconds(60))) {
      return run(sink, http);
    }
  }

  private int run(WebhookSink sink, NodeHttp http) throws InterruptedException {
    List<URI> urls = sink.urls();
    String runTag = Long.toString(System.currentTimeMillis(), 36);
    String body = JobBodies.payload(payloadBytes);
    List<BatchSubmitter.PendingJob> pending = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      String id = "perf-" + runTag + "-" + i;
      pending.add(
          new BatchSubmitter.PendingJob(
              id, JobBodies.immediateJob(id, urls.get(i % urls.size()).toString(), body)));
    }
    progress.printf(
        "deliver: %d jobs to %s (sink %s, %d ms per request)%n", jobs, entry, urls, latencyMs);

    Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    BatchSubmitter submitter =
        new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(60), progress);
    long start = System.nanoTime();
    long submitted;
    try (Progress ticker =
        Progress.start(
            () ->
                String.format(
                    "deliver: %5.1fs accepted=%d delivered=%d duplicates=%d",
                    (System.nanoTime() - start) / 1e9,
                    acceptedIds.size(),
                    sink.distinct(),
                    sink.duplicates()))) {
      submitter.submitAll(pending, acceptedIds::add);
      submitted = System.nanoTime();
      progress.printf(
          "deliver: submitted in %.2fs: accepted=%d failed=%d%s%n",
          (submitted - start) / 1e9,
          submitter.accepted(),
          submitter.failed(),
          submitter.usedSingleRequests() ? " (one request per job)" : "");
      long deadline = start + timeout.toNanos();
      while (countDelivered(sink, acceptedIds) < acceptedIds.size()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(settle.toMillis());
    }

    long delivered = countDelivered(sink, acceptedIds);
    long last = sink.lastFirstDeliveryNanos();
    double seconds = last > start ? (last - start) / 1e9 : Double.NaN;
    double perSec = delivered / seconds;
    ResultLine result =
        ResultLine.of("deliver")
            .put("jobs", jobs)
            .put("deliveriesPerSec", perSec, 1)
            .put("duplicates", sink.duplicates())
            .put("lost", acceptedIds.size() - delivered)
            .put("seconds", seconds, 3)
            .put("accepted", acceptedIds.size())
            .put("submitErrors", submitter.failed())
            .put("submitSeconds", (submitted - start) / 1e9, 3)
            .put("latencyMs", latencyMs)
            .put("sinkHosts", sinkHosts);
    if (workers != null) {
      double bound = DeliveryBound.perSecond(workers, perHostConcurrency, sinkHosts, latencyMs);
      result.put("workers", workers).put("bound", bound, 1).put("efficiency", perSec / bound, 3);
    }
    System.out.println(result.toJson());
    return delivered > 0 && delivered == acceptedIds.size() ? 0 : 1;
  }

  private static long countDelivered(WebhookSink sink, Set<String> ids) {
    if (sink.distinct() < ids.size()) {
      return sink.distinct(); // cheap while deliveries are still arriving
    }
    return ids.stream().filter(sink::received).count();
  }
}
