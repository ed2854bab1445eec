package dev.shardhook.perf;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Listing latency through the proxy (README, "Listing jobs"): stores {@code --jobs} jobs due far in
 * the future (so they stay stored and nothing is delivered), then times {@code GET /jobs} first
 * pages, first pages filtered by host, and pages reached by following cursors.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "GET /jobs latency across shards: first page, filtered first page, deep pages.")
final class ListCommand implements Callable<Integer> {
  /** Every tenth job goes to this host: the filtered page reads a tenth of the index. */
  static final String RARE_HOST = "localhost";

  static final String COMMON_HOST = "127.0.0.1";

  @Mixin RunOptions run;

  @Spec CommandSpec spec;

  @Option(
      names = "--shards",
      defaultValue = "3",
      description = "Three-node shards (default ${DEFAULT-VALUE})")
  int shards;

  @Option(
      names = "--jobs",
      defaultValue = "20000",
      description = "Jobs stored before timing (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(
      names = "--requests",
      defaultValue = "200",
      description = "Timed first pages, and filtered first pages (default ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--deep-pages",
      defaultValue = "50",
      description = "Cursors followed from the first page (default ${DEFAULT-VALUE})")
  int deepPages;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "Jobs per page (default ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Jobs per POST /jobs:batch while storing (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--submitters",
      defaultValue = "8",
      description = "Concurrent batch requests while storing (default ${DEFAULT-VALUE})")
  int submitters;

  private final ScenarioRunner.Streams streams;

  ListCommand(ScenarioRunner.Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() throws Exception {
    if (shards < 1 || jobs < 1 || requests < 1 || deepPages < 0 || limit < 1 || limit > 1000) {
      throw new IllegalArgumentException(
          "--shards >= 1, --jobs >= 1, --requests >= 1, --deep-pages >= 0, --limit 1..1000");
    }
    ScenarioRunner runner = new ScenarioRunner(streams, run, spec);
    Console console = runner.console();
    String tag = Long.toString(System.currentTimeMillis(), 36);
    ListingChecks checks = new ListingChecks();
    List<Double> first = new ArrayList<>();
    List<Double> filtered = new ArrayList<>();
    List<Double> deep = new ArrayList<>();
    long stored;
    double storeSeconds;
    // Long per-shard budgets: a million stored jobs must not be refused as a full queue.
    Long maxPending = jobs > 900_000 ? (long) jobs : null;
    try (Target sut = Target.open(run, new Sandbox.Spec(shards, null, maxPending), console);
        NodeHttp http = sut.http(Duration.ofSeconds(60))) {
      console.say("list: storing %d jobs on %d shard(s) through %s", jobs, shards, sut.entry());
      long start = System.nanoTime();
      stored = store(http, tag, console);
      storeSeconds = (System.nanoTime() - start) / 1e9;
      console.say("stored %d jobs in %.1f s", stored, storeSeconds);
      int firstSize = (int) Math.min(limit, stored);
      int rare = (int) Math.min(limit, rareJobs(stored));
      for (int i = 0; i < requests; i++) {
        timePage(http, "/jobs?limit=" + limit, first, checks, firstSize, null);
      }
      for (int i = 0; i < requests; i++) {
        timePage(
            http, "/jobs?limit=" + limit + "&host=" + RARE_HOST, filtered, checks, rare, RARE_HOST);
      }
      walk(http, deep, checks, stored);
      if (checks.problems() > 0 || stored < jobs) {
        sut.markFailed();
      }
    }
    return runner.finish(report(stored, storeSeconds, first, filtered, deep, checks));
  }

  /** Jobs of {@code stored} that go to {@link #RARE_HOST} (every tenth, from the first). */
  static long rareJobs(long stored) {
    return (stored + 9) / 10;
  }

  private long store(NodeHttp http, String tag, Console console) throws InterruptedException {
    // Due in a year: stored, never delivered while the scenario runs.
    Instant runAt = Instant.now().plus(Duration.ofDays(365));
    BatchSubmitter submitter =
        new BatchSubmitter(http, batchSize, submitters, Duration.ofSeconds(120), console.err());
    int chunk = 50_000;
    for (int from = 0; from < jobs; from += chunk) {
      List<BatchSubmitter.PendingJob> pending = new ArrayList<>();
      for (int i = from; i < Math.min(jobs, from + chunk); i++) {
        String id = "list-" + tag + "-" + i;
        String host = i % 10 == 0 ? RARE_HOST : COMMON_HOST;
        pending.add(
            new BatchSubmitter.PendingJob(
                id, JobBodies.storedJob(id, "http://" + host + ":9/hook", runAt)));
      }
      submitter.submitAll(pending, id -> {});
      console.say("stored %d of %d", submitter.accepted(), jobs);
    }
    return submitter.accepted();
  }

  private static ListingChecks.Page timePage(
      NodeHttp http,
      String path,
      List<Double> latencies,
      ListingChecks checks,
      int expected,
      String host)
      throws Exception {
    long start = System.nanoTime();
    NodeHttp.Reply reply = http.get(path);
    latencies.add((System.nanoTime() - start) / 1e6);
    ListingChecks.Page page = checks.parse(reply.status(), reply.body());
    if (page != null) {
      checks.page(page, expected, host);
    }
    return page;
  }

  /** Follows {@code deepPages} cursors from the first page, timing each page after the first. */
  private void walk(NodeHttp http, List<Double> latencies, ListingChecks checks, long stored)
      throws Exception {
    NodeHttp.Reply reply = http.get("/jobs?limit=" + limit);
    ListingChecks.Page page = checks.parse(reply.status(), reply.body());
    if (page == null) {
      return;
    }
    checks.walk(page, (int) Math.min(limit, stored));
    for (int i = 1; i <= deepPages && page.nextCursor() != null; i++) {
      long left = Math.max(0, stored - (long) i * limit);
      long start = System.nanoTime();
      reply =
          http.get(
              "/jobs?limit="
                  + limit
                  + "&cursor="
                  + URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8));
      latencies.add((System.nanoTime() - start) / 1e6);
      page = checks.parse(reply.status(), reply.body());
      if (page == null) {
        return;
      }
      checks.walk(page, (int) Math.min(limit, left));
    }
  }

  private Report report(
      long stored,
      double storeSeconds,
      List<Double> first,
      List<Double> filtered,
      List<Double> deep,
      ListingChecks checks) {
    ResultLine result =
        ResultLine.of("list")
            .put("shards", shards)
            .put("jobs", stored)
            .put("limit", limit)
            .put("storeJobsPerSecond", stored / Math.max(storeSeconds, 1e-9), 0)
            .put("firstPageP50Ms", percentile(first, 50), 1)
            .put("firstPageP99Ms", percentile(first, 99), 1)
            .put("filteredP50Ms", percentile(filtered, 50), 1)
            .put("filteredP99Ms", percentile(filtered, 99), 1)
            .put("deepPageP50Ms", percentile(deep, 50), 1)
            .put("deepPageP99Ms", percentile(deep, 99), 1)
            .put("deepPages", deep.size())
            .put("problems", checks.problems());
    MarkdownTable table = new MarkdownTable("page", "requests", "p50 ms", "p99 ms", "max ms");
    row(table, "first page", first);
    row(table, "first page, host=" + RARE_HOST + " (1 job in 10)", filtered);
    row(table, "pages 2.." + (deep.size() + 1) + " by cursor", deep);
    StringBuilder body =
        new StringBuilder("## Result\n\n")
            .append(
                String.format(
                    "%d jobs stored (due in a year) on %d shard(s), listed through the proxy,"
                        + " %d jobs a page, one request at a time:%n%n",
                    stored, shards, limit))
            .append(table);
    if (checks.problems() > 0) {
      body.append("\n**Problems** (").append(checks.problems()).append("):\n\n");
      checks.samples().forEach(s -> body.append("- ").append(s).append('\n'));
    }
    boolean ok = checks.problems() == 0 && stored == jobs;
    return new Report("list", result, ResultLine.object(), body.toString(), List.of(), ok);
  }

  private static void row(MarkdownTable table, String name, List<Double> latencies) {
    table.row(
        name,
        Integer.toString(latencies.size()),
        MarkdownTable.number(percentile(latencies, 50), 1),
        MarkdownTable.number(percentile(latencies, 99), 1),
        MarkdownTable.number(latencies.isEmpty() ? Double.NaN : Percentiles.max(latencies), 1));
  }

  private static double percentile(List<Double> sample, double p) {
    return sample.isEmpty() ? Double.NaN : Percentiles.nearestRank(sample, p);
  }
}
