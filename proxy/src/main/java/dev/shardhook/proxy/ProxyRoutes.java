package dev.shardhook.proxy;

import dev.shardhook.proxy.ProxyException.HttpProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes requests to endpoints by path and method, answers every failure as a problem (404 for an
 * unknown path, 405 with {@code Allow} for a known path and another method) and counts every answer
 * by route template. HEAD is served by the GET endpoint; Jetty leaves out the body.
 *
 * <p>Endpoints block (body reads, calls to nodes), which is why this handler keeps Jetty's default
 * blocking invocation type: Jetty then runs it on a virtual thread, never on a selector.
 */
final class ProxyRoutes extends Handler.Abstract {
  static final String JOB_PREFIX = "/jobs/";
  private static final String JOB_ROUTE = "/jobs/{id}";
  private static final String UNKNOWN_ROUTE = "unknown";

  private final Map<String, Route> exact = new LinkedHashMap<>();
  private final Route jobById;
  private final ProxyMetrics metrics;

  /** The endpoints of one path, by method. */
  private static final class Route {
    private final String name;
    private final Map<String, Endpoint> byMethod = new LinkedHashMap<>();

    Route(String name) {
      this.name = name;
    }

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

  ProxyRoutes(
      SubmitJob submitJob,
      SubmitBatch submitBatch,
      JobLookup lookup,
      ProxyEndpoints proxy,
      ProxyMetrics metrics) {
    this.metrics = metrics;
    add("/jobs", "POST", submitJob);
    add("/jobs:batch", "POST", submitBatch);
    add("/health", "GET", proxy::health);
    add("/ready", "GET", proxy::ready);
    add("/status", "GET", proxy::status);
    add("/metrics", "GET", proxy::metrics);
    jobById = new Route(JOB_ROUTE).on("GET", lookup::get).on("DELETE", lookup::cancel);
  }

  private void add(String path, String method, Endpoint endpoint) {
    exact.put(path, new Route(path).on(method, endpoint));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = String.valueOf(Request.getPathInContext(request));
    Exchange exchange = new Exchange(request, response, callback, path);
    Route route = route(path);
    try {
      if (route == null) {
        throw new HttpProblemException(404, "no resource at " + Printable.of(path));
      }
      Endpoint endpoint = route.endpoint(request.getMethod());
      if (endpoint == null) {
        throw new HttpProblemException(
            405,
            Printable.of(request.getMethod()) + " is not allowed here; allowed: " + route.allow(),
            Map.of("Allow", route.allow()));
      }
      endpoint.handle(exchange);
    } catch (Throwable t) {
      exchange.fail(t);
    }
    metrics.request(
        route == null ? UNKNOWN_ROUTE : route.name, request.getMethod(), exchange.status());
    return true;
  }

  private Route route(String path) {
    Route route = exact.get(path);
    if (route != null) {
      return route;
    }
    if (path.startsWith(JOB_PREFIX)
        && path.length() > JOB_PREFIX.length()
        && path.indexOf('/', JOB_PREFIX.length()) < 0) {
      return jobById;
    }
    return null;
  }
}
