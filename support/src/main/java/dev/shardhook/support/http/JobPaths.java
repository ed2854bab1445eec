package dev.shardhook.support.http;

import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.JobNotFoundException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.api.routing.JobIds;

/** The {@code /jobs/{id}} resource both servers answer, and its {@code :replay} action. */
public final class JobPaths {
  public static final String PREFIX = "/jobs/";
  public static final String TEMPLATE = "/jobs/{id}";
  public static final String REPLAY = "replay";

  private JobPaths() {}

  /** The path of job {@code id}. */
  public static String of(String id) {
    return PREFIX + id;
  }

  /** The path of {@code action} on job {@code id}. */
  public static String of(String id, String action) {
    return PREFIX + id + ":" + action;
  }

  /**
   * The job id of a {@code /jobs/{id}:replay} request. Ids may hold {@code :}, so the action is
   * what follows the last one.
   *
   * @throws RouteNotFoundException when the path names no action, or another one
   * @throws BadRequestException when what precedes it is no job id
   */
  public static String replayId(Exchange exchange) {
    String rest = exchange.path().substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon < 0 || !rest.substring(colon + 1).equals(REPLAY)) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    String id = rest.substring(0, colon);
    if (!JobIds.isValid(id)) {
      throw new BadRequestException(
          "'" + Printable.of(id) + "' is no job id: ids match [A-Za-z0-9._:-]{1,128}");
    }
    return id;
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
