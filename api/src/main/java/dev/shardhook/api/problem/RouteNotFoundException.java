package dev.shardhook.api.problem;

/** No resource at the request's path. */
public final class RouteNotFoundException extends ProblemException {
  /**
   * @param path the path, already made printable
   */
  public RouteNotFoundException(String path) {
    super(404, ProblemTypes.NOT_FOUND, "Not found", "no resource at " + path, null);
  }
}
