package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The accounting of the {@code list} scenario: every answer it timed must be a full, complete page
 * of the right jobs, and a walk along cursors must go newest first without repeating a job.
 * Problems are counted (and the first few kept) rather than thrown, so a run reports them.
 */
final class ListingChecks {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int KEPT = 5;

  /** One job of a page: what the checks look at. */
  record Listed(String id, long createdAtMs, String host) {}

  /** A page as the proxy answered it. */
  record Page(List<Listed> jobs, String nextCursor, List<String> partial) {}

  private final List<String> samples = new ArrayList<>();
  private long problems;
  private long pages;
  private long jobs;
  private final Set<String> walked = new HashSet<>();
  private Listed lastWalked;

  /** The page in {@code body}, or null (counted as a problem) when it is not one. */
  Page parse(int status, String body) {
    if (status != 200) {
      problem("status " + status + ": " + abbreviate(body));
      return null;
    }
    try {
      JsonNode tree = MAPPER.readTree(body);
      List<Listed> listed = new ArrayList<>();
      for (JsonNode job : tree.path("jobs")) {
        listed.add(
            new Listed(
                job.path("id").asText(),
                Instant.parse(job.path("createdAt").asText()).toEpochMilli(),
                URI.create(job.path("url").asText()).getHost()));
      }
      List<String> partial = new ArrayList<>();
      tree.path("partial").forEach(s -> partial.add(s.asText()));
      JsonNode next = tree.path("nextCursor");
      return new Page(listed, next.isTextual() ? next.asText() : null, partial);
    } catch (IOException | RuntimeException e) {
      problem("unreadable page: " + e.getMessage());
      return null;
    }
  }

  /**
   * Checks one page on its own: complete, {@code expected} jobs, newest first, each on {@code host}
   * when not null.
   */
  void page(Page page, int expected, String host) {
    pages++;
    jobs += page.jobs().size();
    if (!page.partial().isEmpty()) {
      problem("partial page: " + page.partial());
    }
    if (page.jobs().size() != expected) {
      problem("page of " + page.jobs().size() + " jobs, expected " + expected);
    }
    for (int i = 0; i < page.jobs().size(); i++) {
      Listed job = page.jobs().get(i);
      if (host != null && !host.equals(job.host())) {
        problem("job " + job.id() + " on " + job.host() + " in a page for " + host);
      }
      if (i > 0 && !newerThan(page.jobs().get(i - 1), job)) {
        problem("job " + job.id() + " out of order");
      }
    }
  }

  /** Checks a page of a walk along cursors: as {@link #page}, and no job older pages showed. */
  void walk(Page page, int expected) {
    page(page, expected, null);
    for (Listed job : page.jobs()) {
      if (!walked.add(job.id())) {
        problem("job " + job.id() + " listed twice");
      }
    }
    if (page.jobs().isEmpty()) {
      return;
    }
    // Order within the page was checked above.
    if (lastWalked != null && !newerThan(lastWalked, page.jobs().getFirst())) {
      problem("job " + page.jobs().getFirst().id() + " out of order across pages");
    }
    lastWalked = page.jobs().getLast();
  }

  /** Whether {@code a} comes before {@code b} in a listing: newer, or as new with a larger id. */
  static boolean newerThan(Listed a, Listed b) {
    return a.createdAtMs() > b.createdAtMs()
        || (a.createdAtMs() == b.createdAtMs() && a.id().compareTo(b.id()) > 0);
  }

  void problem(String what) {
    problems++;
    if (samples.size() < KEPT) {
      samples.add(what);
    }
  }

  long problems() {
    return problems;
  }

  List<String> samples() {
    return List.copyOf(samples);
  }

  long pages() {
    return pages;
  }

  long jobs() {
    return jobs;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
