package dev.shardhook.api.problem;

/**
 * A request about named queues (README, "Queues") that cannot be done: a job naming a queue that
 * does not exist (400), a queue that is not there (404), or a change the queue's state forbids
 * (409: deleting {@code default} or a queue with pending jobs, too many queues).
 */
public final class QueueProblemException extends ProblemException {
  private QueueProblemException(int status, String type, String title, String detail) {
    super(status, type, title, detail, null);
  }

  /** A job (field {@code field}) names a queue the tenant has not created. */
  public static QueueProblemException unknownQueue(String field, String name) {
    return new QueueProblemException(
        400,
        ProblemTypes.UNKNOWN_QUEUE,
        "Unknown queue",
        field
            + ": queue '"
            + Printable.of(name)
            + "' does not exist; create it with PUT /queues/"
            + Printable.of(name)
            + " or leave the field out for 'default'");
  }

  public static QueueProblemException notFound(String name) {
    return new QueueProblemException(
        404,
        ProblemTypes.QUEUE_NOT_FOUND,
        "Queue not found",
        "no queue '" + Printable.of(name) + "'");
  }

  public static QueueProblemException conflict(String detail) {
    return new QueueProblemException(409, ProblemTypes.QUEUE_CONFLICT, "Queue conflict", detail);
  }
}
