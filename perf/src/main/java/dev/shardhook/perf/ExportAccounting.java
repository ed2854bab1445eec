package dev.shardhook.perf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which acknowledged jobs the history database holds, and how often: the {@code history} scenario's
 * check that every job was exported exactly once (README, "Job history").
 *
 * @param acknowledged jobs the shard acknowledged
 * @param rows history rows of the run's jobs
 * @param exported acknowledged jobs with a row
 * @param missing acknowledged jobs without a row
 * @param duplicates rows beyond the first of any job
 * @param unacknowledged jobs with a row that were never acknowledged (an answer that got lost)
 * @param notSucceeded rows whose status is not {@code SUCCEEDED} (the sink answers every request
 *     200)
 * @param withoutAttempts rows with no attempt row
 * @param attemptRows attempt rows of the run's jobs
 */
record ExportAccounting(
    long acknowledged,
    long rows,
    long exported,
    long missing,
    long duplicates,
    long unacknowledged,
    long notSucceeded,
    long withoutAttempts,
    long attemptRows) {

  /** One row of {@code history_jobs}, with the number of its rows in {@code history_attempts}. */
  record Row(String jobId, String status, int attempts) {}

  /** Counts {@code rows} against {@code acknowledged} (distinct job ids). */
  static ExportAccounting count(Set<String> acknowledged, List<Row> rows) {
    Map<String, Integer> times = new HashMap<>();
    long notSucceeded = 0;
    long withoutAttempts = 0;
    long attemptRows = 0;
    for (Row row : rows) {
      times.merge(row.jobId(), 1, Integer::sum);
      if (!"SUCCEEDED".equals(row.status())) {
        notSucceeded++;
      }
      if (row.attempts() == 0) {
        withoutAttempts++;
      }
      attemptRows += row.attempts();
    }
    long exported = acknowledged.stream().filter(times::containsKey).count();
    long unacknowledged = times.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
    return new ExportAccounting(
        acknowledged.size(),
        rows.size(),
        exported,
        acknowledged.size() - exported,
        rows.size() - times.size(),
        unacknowledged,
        notSucceeded,
        withoutAttempts,
        attemptRows);
  }

  /** Every acknowledged job exported exactly once, as a finished, delivered job. */
  boolean exactlyOnce() {
    return missing == 0 && duplicates == 0 && notSucceeded == 0 && withoutAttempts == 0;
  }
}
