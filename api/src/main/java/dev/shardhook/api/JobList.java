package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /jobs}: one page of the caller's jobs, newest first.
 *
 * @param jobs the page
 * @param nextCursor pass as {@code cursor} for the next, older page; null when there is none
 * @param partial the shards the proxy could not list this time (their jobs come on a later page of
 *     the same cursor); empty, and left out of the JSON, when the page is complete
 */
public record JobList(
    List<Job> jobs,
    String nextCursor,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partial) {
  public JobList {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
    partial = partial == null ? List.of() : List.copyOf(partial);
  }

  /** A complete page. */
  public JobList(List<Job> jobs, String nextCursor) {
    this(jobs, nextCursor, List.of());
  }
}
