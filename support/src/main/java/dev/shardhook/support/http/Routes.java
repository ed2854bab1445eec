package dev.shardhook.support.http;

import dev.shardhook.api.problem.ForbiddenException;
import dev.shardhook.api.problem.MethodNotAllowedException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.support.auth.Access;
import dev.shardhook.support.auth.Authenticator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The route table: picks the endpoint by path and method and answers every failure as a problem,
 * 404 for an unknown path and 405 with {@code Allow} for a known path and another method. HEAD is
 * served by the GET endpoint; Jetty leaves out the body. Paths are exact, or one {@code prefix{id}}
 * route per prefix: the prefix and one more segment. Each endpoint names the {@link Access} it
 * needs, and the request's API key is checked against it before the endpoint runs (401, 403).
 *
 * <p>Endpoints block (body reads, calls to the shard), which is why this handler keeps Jetty's
 * default blocking invocation type: Jetty then runs it on a virtual thread, never on a selector.
 */
public final class Routes extends Handler.Abstract {
  /** The route name {@link Listener}s see for a path no route serves. */
  public static final String UNKNOWN_ROUTE = "unknown";

  /** Told about every answer, once its endpoint is done (metrics). */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param route the route's template ({@code /jobs/{id}}), or {@link #UNKNOWN_ROUTE}
     */
    void answered(String route, String method, int status);
  }

  private final String internalDetail;
  private final Authenticator auth;
  private final Map<String, Route> exact = new LinkedHashMap<>();
  private final Map<String, Route> byPrefix = new LinkedHashMap<>();
  private Listener listener = (route, method, status) -> {};
  private boolean clientCertificates;

  /** The endpoints of one path, by method. */
  private static final class Route {
    private final String name;
    private final Map<String, Guarded> byMethod = new LinkedHashMap<>();

    Route(String name) {
      this.name = name;
    }

    void on(String method, Access access, Endpoint endpoint) {
      Guarded guarded = new Guarded(access, endpoint);
      byMethod.put(method, guarded);
      if (method.equals("GET")) {
        byMethod.put("HEAD", guarded);
      }
    }

    Guarded endpoint(String method) {
      return byMethod.get(method);
    }

    String allow() {
      return String.join(", ", new TreeSet<>(byMethod.keySet()));
    }
  }

  /** An endpoint and who may call it. */
  private record Guarded(Access access, Endpoint endpoint) {}

  /**
   * @param internalDetail the detail of the 500 answering a failure that is no problem (a bug)
   * @param auth checks each request's key against the access its route asks for
   */
  public Routes(String internalDetail, Authenticator auth) {
    this.internalDetail = internalDetail;
    this.auth = auth;
  }

  /** Serves {@code method} on exactly {@code path} to callers {@code access} lets in. */
  public Routes on(String method, String path, Access access, Endpoint endpoint) {
    exact.computeIfAbsent(path, Route::new).on(method, access, endpoint);
    return this;
  }

  /**
   * Serves {@code method} on every path that is {@code prefix} and one more segment, named {@code
   * template} for listeners ({@code "/jobs/", "/jobs/{id}"}).
   */
  public Routes onPrefix(
      String method, String prefix, String template, Access access, Endpoint endpoint) {
    byPrefix.computeIfAbsent(prefix, p -> new Route(template)).on(method, access, endpoint);
    return this;
  }

  /**
   * Serves every route but the {@link Access#OPEN} ones only over TLS connections whose client
   * presented a certificate the server's CA signed (the TLS handshake has checked it): 403 for the
   * others. The open routes stay reachable by probes that hold no certificate.
   */
  public Routes requireClientCertificates() {
    this.clientCertificates = true;
    return this;
  }

  public Routes listener(Listener listener) {
    this.listener = listener;
    return this;
  }

  /** The detail of 500 answers, for Jetty's own errors too. */
  public String internalDetail() {
    return internalDetail;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = String.valueOf(Request.getPathInContext(request));
    Exchange exchange = new Exchange(request, response, callback, path, internalDetail);
    Route route = route(path);
    try {
      if (route == null) {
        throw new RouteNotFoundException(Printable.of(path));
      }
      Guarded guarded = route.endpoint(request.getMethod());
      if (guarded == null) {
        throw new MethodNotAllowedException(Printable.of(request.getMethod()), route.allow());
      }
      if (clientCertificates && guarded.access() != Access.OPEN && !hasClientCertificate(request)) {
        throw new ForbiddenException(
            "this server answers only clients with a certificate from its CA (mutual TLS);"
                + " /health, /ready and /status are open");
      }
      exchange.caller(
          auth.check(
              exchange.header("Authorization"),
              exchange.header(Authenticator.TENANT_HEADER),
              guarded.access()));
      guarded.endpoint().handle(exchange);
    } catch (Throwable t) {
      exchange.fail(t);
    }
    listener.answered(
        route == null ? UNKNOWN_ROUTE : route.name, request.getMethod(), exchange.status());
    return true;
  }

  private static boolean hasClientCertificate(Request request) {
    return request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
            instanceof EndPoint.SslSessionData ssl
        && ssl.peerCertificates() != null
        && ssl.peerCertificates().length > 0;
  }

  private Route route(String path) {
    Route route = exact.get(path);
    if (route != null) {
      return route;
    }
    for (Map.Entry<String, Route> e : byPrefix.entrySet()) {
      String prefix = e.getKey();
      if (path.startsWith(prefix)
          && path.length() > prefix.length()
          && path.indexOf('/', prefix.length()) < 0) {
        return e.getValue();
      }
    }
    return null;
  }
}
