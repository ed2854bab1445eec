package dev.shardhook.client;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;

/**
 * The configured endpoints (proxies, a load balancer, or the nodes of one shard) and which one
 * calls start from. A call that finds an endpoint unreachable or unavailable moves on to the next;
 * the move sticks for later calls, so a dead endpoint costs one failed attempt, not one per call.
 * Thread-safe.
 */
final class Endpoints {
  private final List<HttpUrl> urls;
  private final AtomicInteger preferred = new AtomicInteger();

  /**
   * @param endpoints at least one, each passing {@link #check}
   */
  Endpoints(List<URI> endpoints) {
    this.urls = endpoints.stream().map(Endpoints::toHttpUrl).toList();
  }

  /**
   * Checks one endpoint URI.
   *
   * @throws IllegalArgumentException unless it is an absolute http(s) URL with a host and no query
   *     or fragment
   */
  static URI check(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme();
    if (scheme == null
        || endpoint.isOpaque()
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint: must be an absolute http or https URL with a host, got '" + endpoint + "'");
    }
    if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "endpoint: must not have a query or fragment, got '" + endpoint + "'");
    }
    return endpoint;
  }

  private static HttpUrl toHttpUrl(URI endpoint) {
    HttpUrl url = HttpUrl.get(check(endpoint).toString());
    // "http://h/api" and "http://h/api/" both mean the API lives under /api/.
    return url.pathSegments().get(url.pathSize() - 1).isEmpty()
        ? url
        : url.newBuilder().addPathSegment("").build();
  }

  /** Where the next call starts. */
  int preferred() {
    return preferred.get();
  }

  /** The URL of {@code path} under endpoint {@code index}. */
  HttpUrl url(int index, List<String> path) {
    HttpUrl.Builder b = urls.get(index).newBuilder();
    path.forEach(b::addPathSegment);
    return b.build();
  }

  /** The endpoint after {@code failed}; later calls start there too. */
  int failover(int failed) {
    int next = (failed + 1) % urls.size();
    preferred.compareAndSet(failed, next);
    return next;
  }
}
