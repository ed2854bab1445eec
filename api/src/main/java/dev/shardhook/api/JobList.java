package dev.shardhook.api;

import java.util.List;

/**
 * The answer of {@code GET /jobs}: one page of the caller's jobs, newest first.
 *
 * @param jobs the page
 * @param nextCursor pass as {@code cursor} for the next, older page; null when there is none
 */
public record JobList(List<Job> jobs, String nextCursor) {
  public JobList {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }
}
