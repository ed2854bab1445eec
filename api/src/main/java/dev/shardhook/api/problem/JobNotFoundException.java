package dev.shardhook.api.problem;

/** No job with that id: none on the shard, or the id is not one a job can have. */
public final class JobNotFoundException extends ProblemException {
  /**
   * @param id the id as the client sent it, already made printable when it is not a valid id
   */
  public JobNotFoundException(String id) {
    super(404, ProblemTypes.JOB_NOT_FOUND, "Job not found", "no job with id '" + id + "'", null);
  }
}
