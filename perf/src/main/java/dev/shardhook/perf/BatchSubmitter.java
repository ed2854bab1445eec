package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Submits jobs with explicit ids as fast as it can: {@code POST /jobs:batch} in batches from a few
 * concurrent submitters, falling back to one {@code POST /jobs} per job when the node answers the
 * batch path with 404 or 405. Items answered 429, 503 or 5xx, and whole requests that fail on the
 * network, are sent again (explicit ids make that safe) until {@code giveUpAfter} has passed.
 */
final class BatchSubmitter {
  /** A job to submit: its id and its JSON document. */
  record PendingJob(String id, String json) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_LOGGED_PROBLEMS = 5;
  private static final int SINGLE_CONCURRENCY = 64;

  private final NodeHttp http;
  private final int batchSize;
  private final int submitters;
  private final Duration giveUpAfter;
  private final PrintStream log;
  private final AtomicBoolean singleMode = new AtomicBoolean();
  private final Semaphore singleSlots = new Semaphore(SINGLE_CONCURRENCY);
  private final LongAdder accepted = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder resent = new LongAdder();
  private final AtomicInteger loggedProblems = new AtomicInteger();

  BatchSubmitter(
      NodeHttp http, int batchSize, int submitters, Duration giveUpAfter, PrintStream log) {
    this.http = http;
    this.batchSize = batchSize;
    this.submitters = submitters;
    this.giveUpAfter = giveUpAfter;
    this.log = log;
  }

  long accepted() {
    return accepted.sum();
  }

  long failed() {
    return failed.sum();
  }

  long resent() {
    return resent.sum();
  }

  boolean usedSingleRequests() {
    return singleMode.get();
  }

  /** Submits every job; {@code onAccepted} gets the id of each job the node acknowledged. */
  void submitAll(List<PendingJob> jobs, Consumer<String> onAccepted) throws InterruptedException {
    Queue<List<PendingJob>> batches = new ConcurrentLinkedQueue<>();
    for (int from = 0; from < jobs.size(); from += batchSize) {
      batches.add(jobs.subList(from, Math.min(jobs.size(), from + batchSize)));
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < submitters; i++) {
        pool.submit(
            () -> {
              List<PendingJob> batch;
              while ((batch = batches.poll()) != null) {
                submitBatch(batch, onAccepted);
              }
              return null;
            });
      }
    }
  }

  private void submitBatch(List<PendingJob> batch, Consumer<String> onAccepted)
      throws InterruptedException {
    long giveUpAt = System.nanoTime() + giveUpAfter.toNanos();
    List<PendingJob> todo = batch;
    for (int attempt = 0; !todo.isEmpty(); attempt++) {
      if (attempt > 0) {
        if (System.nanoTime() > giveUpAt) {
          problem("giving up on " + todo.size() + " job(s) after " + giveUpAfter.toSeconds() + "s");
          failed.add(todo.size());
          return;
        }
        resent.add(todo.size());
        Thread.sleep(Math.min(2000, 100L << Math.min(attempt - 1, 5)));
      }
      todo = singleMode.get() ? submitSingly(todo, onAccepted) : submitAsBatch(todo, onAccepted);
    }
  }

  /** Posts one batch; returns the jobs to send again. */
  private List<PendingJob> submitAsBatch(List<PendingJob> jobs, Consumer<String> onAccepted)
      throws InterruptedException {
    NodeHttp.Reply reply;
    try {
      reply =
          http.postJson(
              "/jobs:batch", JobBodies.batch(jobs.stream().map(PendingJob::json).toList()));
    } catch (IOException e) {
      problem("POST /jobs:batch: " + e);
      return jobs;
    }
    int status = reply.status();
    if (status == 404 || status == 405) {
      if (singleMode.compareAndSet(false, true)) {
        log.println("deliver: POST /jobs:batch answered " + status + "; posting jobs one by one");
      }
      return submitSingly(jobs, onAccepted);
    }
    if (status != 207 && status != 200) {
      problem("POST /jobs:batch: HTTP " + status + ": " + AcceptCommand.abbreviate(reply.body()));
      if (isRetryable(status)) {
        return jobs;
      }
      failed.add(jobs.size());
      return List.of();
    }
    JsonNode items;
    try {
      items = MAPPER.readTree(reply.body());
    } catch (IOException e) {
      problem("POST /jobs:batch: unreadable answer: " + AcceptCommand.abbreviate(reply.body()));
      return jobs;
    }
    if (!items.isArray() || items.size() != jobs.size()) {
      problem("POST /jobs:batch: expected an array of " + jobs.size() + " results");
      return jobs;
    }
    List<PendingJob> again = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      JsonNode item = items.get(i);
      int itemStatus = item.path("status").asInt(0);
      settle(jobs.get(i), itemStatus, item.path("problem").toString(), again, onAccepted);
    }
    return again;
  }

  /** Posts each job on its own (bounded concurrency); returns the jobs to send again. */
  private List<PendingJob> submitSingly(List<PendingJob> jobs, Consumer<String> onAccepted)
      throws InterruptedException {
    Queue<PendingJob> again = new ConcurrentLinkedQueue<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (PendingJob job : jobs) {
        singleSlots.acquire();
        pool.submit(
            () -> {
              try {
                NodeHttp.Reply reply = http.postJson("/jobs", job.json());
                List<PendingJob> retry = new ArrayList<>(1);
                settle(job, reply.status(), reply.body(), retry, onAccepted);
                again.addAll(retry);
              } catch (IOException e) {
                problem("POST /jobs: " + e);
                again.add(job);
              } finally {
                singleSlots.release();
              }
              return null;
            });
      }
    }
    return new ArrayList<>(again);
  }

  private void settle(
      PendingJob job,
      int status,
      String detail,
      List<PendingJob> again,
      Consumer<String> onAccepted) {
    if (status == 200 || status == 201) {
      accepted.increment();
      onAccepted.accept(job.id());
    } else if (isRetryable(status)) {
      again.add(job);
    } else {
      failed.increment();
      problem("job " + job.id() + ": HTTP " + status + ": " + AcceptCommand.abbreviate(detail));
    }
  }

  static boolean isRetryable(int status) {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }

  private void problem(String what) {
    int n = loggedProblems.incrementAndGet();
    if (n <= MAX_LOGGED_PROBLEMS) {
      log.println("deliver: " + what);
    } else if (n == MAX_LOGGED_PROBLEMS + 1) {
      log.println("deliver: (further submission problems are counted, not shown)");
    }
  }
}
