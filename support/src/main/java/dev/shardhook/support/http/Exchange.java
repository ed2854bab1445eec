package dev.shardhook.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.PayloadTooLargeException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.UnsupportedMediaTypeException;
import dev.shardhook.support.auth.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its answer, as endpoints see them. Runs on a virtual thread: reading the body
 * blocks, and every answer completes Jetty's callback exactly once.
 */
public final class Exchange {
  public static final String JSON = "application/json";

  /** The Prometheus text exposition format, the answer of {@code /metrics}. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final String path;
  private final String internalDetail;
  private Caller caller;
  private Fields query;

  Exchange(
      Request request, Response response, Callback callback, String path, String internalDetail) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.path = path;
    this.internalDetail = internalDetail;
  }

  /** Who the request acts as; null on an open route. */
  public Caller caller() {
    return caller;
  }

  /** The tenant the request acts for (its key's, or the one an admin named). */
  public String tenant() {
    if (caller == null) {
      throw new IllegalStateException("an open route has no tenant");
    }
    return caller.tenant();
  }

  void caller(Caller caller) {
    this.caller = caller;
  }

  /** The decoded path the route was chosen by. */
  public String path() {
    return path;
  }

  /** The request's path as sent (still percent-encoded): the {@code instance} of its problems. */
  public String instance() {
    return request.getHttpURI().getPath();
  }

  public String method() {
    return request.getMethod();
  }

  /**
   * The first value of query parameter {@code name}, decoded, or null; a query that cannot be
   * decoded is a 400.
   */
  public String query(String name) {
    if (query == null) {
      try {
        query = Request.extractQueryParameters(request);
      } catch (RuntimeException e) {
        throw new BadRequestException("the query string cannot be decoded");
      }
    }
    return query.getValue(name);
  }

  /** The first value of a request header, or null. */
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Sets a header of the answer. */
  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** The status answered so far (for metrics, once the endpoint is done). */
  public int status() {
    return response.getStatus();
  }

  /**
   * The whole body of a JSON request, refusing other media types with 415 (no {@code Content-Type}
   * counts as JSON) and bodies over {@code maxBytes} with 413, whether or not they declare their
   * length.
   */
  public byte[] readJsonBody(int maxBytes) {
    requireJson();
    long declared = request.getLength();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(declared > 0 ? (int) declared : Math.min(maxBytes, 8192));
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        awaitContent();
        continue;
      }
      boolean last = chunk.isLast();
      try {
        if (Content.Chunk.isFailure(chunk)) {
          throw new BadRequestException(
              "could not read the request body: " + chunk.getFailure().getMessage());
        }
        ByteBuffer buffer = chunk.getByteBuffer();
        if (out.size() + (long) buffer.remaining() > maxBytes) {
          throw tooLarge(maxBytes);
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.write(bytes, 0, bytes.length);
      } finally {
        chunk.release();
      }
      if (last) {
        return out.toByteArray();
      }
    }
  }

  public void sendJson(int status, Object value) {
    byte[] body;
    try {
      body = WireJson.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
    send(status, JSON, Map.of(), body);
  }

  public void sendText(int status, String contentType, String text) {
    send(status, contentType, Map.of(), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends a whole answer as given, such as a node's answer a proxy passes on.
   *
   * @param contentType the media type, or null for none
   */
  public void send(int status, String contentType, Map<String, String> headers, byte[] body) {
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Answers a failure as a problem, or gives up on the connection once the answer has started. */
  void fail(Throwable failure) {
    if (response.isCommitted()) {
      callback.failed(failure);
      return;
    }
    // Drop headers an endpoint set before failing (Location on a half-done submit, say).
    response.reset();
    ProblemAnswers.send(response, callback, failure, method(), instance(), internalDetail);
  }

  private void requireJson() {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null) {
      return;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    if (!mediaType.equals(JSON) && !mediaType.endsWith("+json")) {
      throw new UnsupportedMediaTypeException(
          "Content-Type must be application/json, not " + Printable.of(mediaType));
    }
  }

  private void awaitContent() {
    try (Blocker.Runnable blocker = Blocker.runnable()) {
      request.demand(blocker);
      blocker.block();
    } catch (IOException e) {
      // The client went away or stalled: its request, not the server, is at fault.
      throw new BadRequestException("could not read the request body: " + e.getMessage());
    }
  }

  private static PayloadTooLargeException tooLarge(int maxBytes) {
    return new PayloadTooLargeException("request body: over the limit of " + maxBytes + " bytes");
  }
}
