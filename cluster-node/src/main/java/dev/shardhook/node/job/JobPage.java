package dev.shardhook.node.job;

import java.util.List;

/**
 * A page of listed jobs, newest first.
 *
 * @param jobs the jobs
 * @param next where the next page starts, or null when no older job matches
 */
public record JobPage(List<JobRecord> jobs, JobQuery.Position next) {
  public JobPage {
    jobs = List.copyOf(jobs);
  }
}
