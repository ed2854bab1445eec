package dev.shardhook.support.http;

import dev.shardhook.api.problem.JobNotFoundException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.routing.JobIds;

/** The {@code /jobs/{id}} resource both servers answer. */
public final class JobPaths {
  public static final String PREFIX = "/jobs/";
  public static final String TEMPLATE = "/jobs/{id}";

  private JobPaths() {}

  /** The path of job {@code id}. */
  public static String of(String id) {
    return PREFIX + id;
  }

  /**
   * The job id of a {@code /jobs/{id}} request. An id no job can have is answered 404 here: no such
   * job can exist, and asking the shard would only cost a read.
   */
  public static String id(Exchange exchange) {
    String id = exchange.path().substring(PREFIX.length());
    if (!JobIds.isValid(id)) {
      throw new JobNotFoundException(Printable.of(id));
    }
    return id;
  }
}
