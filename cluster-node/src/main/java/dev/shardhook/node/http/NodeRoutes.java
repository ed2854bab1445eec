package dev.shardhook.node.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes requests to endpoints by path and method and answers every failure as a problem: 404 for
 * an unknown path, 405 with {@code Allow} for a known path and another method. HEAD is served by
 * the GET endpoint; Jetty leaves out the body.
 *
 * <p>Handlers block (body reads, shard futures), which is why this handler keeps Jetty's default
 * blocking invocation type: Jetty then runs it on a virtual thread, never on a selector.
 */
final class NodeRoutes extends Handler.Abstract {
  private final Map<String, Route> exact = new LinkedHashMap<>();
  private final Route jobById;

  /** The endpoints of one path, by method. */
  private static final class Route {
    private final Map<String, Endpoint> byMethod = new LinkedHashMap<>();

    Route on(String method, Endpoint endpoint) {
      byMethod.put(method, endpoint);
      if (method.equals("GET")) {
        byMethod.put("HEAD", endpoint);
      }
      return this;
    }

    Endpoint endpoint(String method) {
      return byMethod.get(method);
    }

    String allow() {
      return String.join(", ", new TreeSet<>(byMethod.keySet()));
    }
  }

  NodeRoutes(SubmitJob submitJob, SubmitBatch submitBatch, JobLookup lookup, NodeEndpoints node) {
    exact.put("/jobs", new Route().on("POST", submitJob));
    exact.put("/jobs:batch", new Route().on("POST", submitBatch));
    exact.put("/health", new Route().on("GET", node::health));
    exact.put("/ready", new Route().on("GET", node::ready));
    exact.put("/status", new Route().on("GET", node::status));
    exact.put("/metrics", new Route().on("GET", node::metrics));
    jobById = new Route().on("GET", lookup::get).on("DELETE", lookup::cancel);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = String.valueOf(Request.getPathInContext(request));
    Exchange exchange = new Exchange(request, response, callback, path);
    try {
      Route route = route(path);
      if (route == null) {
        throw new HttpProblemException(404, "no resource at " + HeaderSyntax.printable(path));
      }
      Endpoint endpoint = route.endpoint(request.getMethod());
      if (endpoint == null) {
        throw new HttpProblemException(
            405,
            HeaderSyntax.printable(request.getMethod())
                + " is not allowed here; allowed: "
                + route.allow(),
            Map.of("Allow", route.allow()));
      }
      endpoint.handle(exchange);
    } catch (Throwable t) {
      exchange.fail(t);
    }
    return true;
  }

  private Route route(String path) {
    Route route = exact.get(path);
    if (route != null) {
      return route;
    }
    if (path.startsWith(JobLookup.PREFIX)
        && path.length() > JobLookup.PREFIX.length()
        && path.indexOf('/', JobLookup.PREFIX.length()) < 0) {
      return jobById;
    }
    return null;
  }
}
