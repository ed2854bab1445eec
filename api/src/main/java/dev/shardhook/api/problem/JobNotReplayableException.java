package dev.shardhook.api.problem;

/** Replay of a job that is neither FAILED nor CANCELLED (pending, or it succeeded). */
public final class JobNotReplayableException extends ProblemException {
  public JobNotReplayableException(String id, String status) {
    super(
        409,
        ProblemTypes.JOB_NOT_REPLAYABLE,
        "Job not replayable",
        "job '" + id + "' is " + status + "; only FAILED or CANCELLED jobs can be replayed",
        null);
  }
}
