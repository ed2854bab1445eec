package dev.shardhook.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Acceptance throughput: {@code concurrency} closed-loop clients each post a job due in 30 days (so
 * nothing is delivered) and wait for the answer before posting the next. Counts {@code 201}s and
 * their latency after the warm-up.
 */
@Command(
    name = "accept",
    mixinStandardHelpOptions = true,
    description = "Closed-loop POST /jobs throughput and latency (jobs due in 30 days).")
final class AcceptCommand implements Callable<Integer> {
  private static final int MAX_LOGGED_ERRORS = 5;

  @Option(names = "--entry", required = true, description = "Entry URL, e.g. http://127.0.0.1:8080")
  URI entry;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Clients (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--payload",
      defaultValue = "512",
      description = "Job body bytes (default ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      description = "Measured time (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      description = "Unmeasured time first (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(
      names = "--target",
      defaultValue = "http://127.0.0.1:9/never",
      description = "The jobs' webhook URL; never called (default ${DEFAULT-VALUE})")
  String target;

  private final PrintStream progress = System.err;
  private final LongAdder measuredAccepted = new LongAdder();
  private final LongAdder measuredErrors = new LongAdder();
  private final LongAdder allAccepted = new LongAdder();
  private final LongAdder allErrors = new LongAdder();
  private final AtomicInteger loggedErrors = new AtomicInteger();

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || payloadBytes < 0 || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--concurrency >= 1, --payload >= 0, --duration > 0");
    }
    String job =
        JobBodies.scheduledJob(
            target, Instant.now().plus(Duration.ofDays(30)), JobBodies.payload(payloadBytes));
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    progress.printf(
        "accept: %s, %d clients, %d-byte bodies, warm-up %ss, measuring %ss%n",
        entry, concurrency, payloadBytes, warmup.toSeconds(), duration.toSeconds());

    LatencyRecorder latency = new LatencyRecorder();
    try (NodeHttp http = new NodeHttp(entry, Duration.ofSeconds(30));
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        Progress ticker = Progress.start(() -> progressLine(start, measureFrom))) {
      List<Future<LatencyRecorder>> results = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        results.add(workers.submit(() -> runClient(http, job, measureFrom, end)));
      }
      for (Future<LatencyRecorder> result : results) {
        latency.add(result.get());
      }
    }

    double seconds = duration.toNanos() / 1e9;
    long accepted = measuredAccepted.sum();
    ResultLine result =
        ResultLine.of("accept")
            .put("opsPerSec", accepted / seconds, 1)
            .put("p50Ms", latency.percentileMillis(50), 3)
            .put("p99Ms", latency.percentileMillis(99), 3)
            .put("errors", measuredErrors.sum())
            .put("p999Ms", latency.percentileMillis(99.9), 3)
            .put("maxMs", latency.maxMillis(), 3)
            .put("accepted", accepted)
            .put("seconds", seconds, 3)
            .put("concurrency", concurrency)
            .put("payloadBytes", payloadBytes);
    System.out.println(result.toJson());
    return accepted > 0 ? 0 : 1;
  }

  private LatencyRecorder runClient(NodeHttp http, String job, long measureFrom, long end)
      throws InterruptedException {
    LatencyRecorder latency = new LatencyRecorder();
    while (System.nanoTime() < end) {
      long sent = System.nanoTime();
      boolean ok;
      try {
        NodeHttp.Reply reply = http.postJson("/jobs", job);
        ok = reply.status() == 201;
        if (!ok) {
          logError("HTTP " + reply.status() + ": " + abbreviate(reply.body()));
        }
      } catch (IOException e) {
        ok = false;
        logError(e.toString());
      }
      long answered = System.nanoTime();
      (ok ? allAccepted : allErrors).increment();
      if (sent >= measureFrom && answered <= end) {
        if (ok) {
          measuredAccepted.increment();
          latency.recordNanos(answered - sent);
        } else {
          measuredErrors.increment();
        }
      }
      if (!ok) {
        TimeUnit.MILLISECONDS.sleep(10); // no hot loop against a node that refuses
      }
    }
    return latency;
  }

  private String progressLine(long start, long measureFrom) {
    long now = System.nanoTime();
    String phase = now < measureFrom ? "warm-up" : "measuring";
    return String.format(
        "accept: %5.1fs %-9s accepted=%d errors=%d",
        (now - start) / 1e9, phase, allAccepted.sum(), allErrors.sum());
  }

  private void logError(String what) {
    int n = loggedErrors.incrementAndGet();
    if (n <= MAX_LOGGED_ERRORS) {
      progress.println("accept: error: " + what);
    } else if (n == MAX_LOGGED_ERRORS + 1) {
      progress.println("accept: (further errors are counted, not shown)");
    }
  }

  static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}
