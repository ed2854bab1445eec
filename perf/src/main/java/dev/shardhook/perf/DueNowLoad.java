package dev.shardhook.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop single {@code POST /jobs} of jobs due at once, spread over a sink's URLs; afterwards
 * it waits (up to a bound) until the sink has every accepted job, so that their deliveries do not
 * run beside what is measured next. The latency scenario's maximum-rate probe and the JIT warm-up
 * both drive it.
 */
final class DueNowLoad {
  private DueNowLoad() {}

  /** Runs the load against {@code sut}'s entry; the figures count the loop after {@code warmup}. */
  static AcceptFigures run(
      String label,
      Target sut,
      WebhookSink sink,
      String idPrefix,
      String body,
      int clients,
      Duration warmup,
      Duration duration,
      Duration drain,
      Console console)
      throws Exception {
    List<String> urls = sink.urls().stream().map(Object::toString).toList();
    AtomicLong next = new AtomicLong();
    LongAdder created = new LongAdder();
    AcceptFigures figures;
    try (KeepAlivePoster http =
        new KeepAlivePoster(sut.entry(), Duration.ofSeconds(30), sut.apiKey().orElse(null))) {
      figures =
          new ClosedLoop(label, clients, warmup, duration, console)
              .run(
                  "shardhook",
                  () -> {
                    long n = next.getAndIncrement();
                    byte[] json =
                        JobBodies.immediateJob(
                                idPrefix + n, urls.get((int) (n % urls.size())), body)
                            .getBytes(StandardCharsets.UTF_8);
                    int status = http.post("/jobs", json);
                    if (status != 201) {
                      throw new IOException("HTTP " + status);
                    }
                    created.increment();
                  });
    }
    long deadline = System.nanoTime() + drain.toNanos();
    while (sink.distinct() < created.sum() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return figures;
  }
}
