package dev.shardhook.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.WireJson;
import dev.shardhook.proxy.ProxyException.HttpProblemException;
import dev.shardhook.proxy.ProxyException.PayloadTooLargeException;
import dev.shardhook.proxy.upstream.NodeAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One client request and its answer, as endpoints see them (clientToProxyRequest and
 * proxyToClientResponse). Runs on a virtual thread: reading the body blocks, and every answer
 * completes Jetty's callback exactly once.
 */
final class Exchange {
  static final String JSON = "application/json";

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final String path;

  Exchange(Request request, Response response, Callback callback, String path) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.path = path;
  }

  String path() {
    return path;
  }

  /** The request's path as sent (still percent-encoded): the {@code instance} of its problems. */
  String instance() {
    return request.getHttpURI().getPath();
  }

  String method() {
    return request.getMethod();
  }

  /** The first value of a request header, or null. */
  String header(String name) {
    return request.getHeaders().get(name);
  }

  /** The status answered so far (for metrics, once the endpoint is done). */
  int status() {
    return response.getStatus();
  }

  /**
   * The whole body of a JSON request, refusing other media types with 415 (no {@code Content-Type}
   * counts as JSON, as on a node) and bodies over {@code maxBytes} with 413, whether or not they
   * declare their length.
   */
  byte[] readJsonBody(int maxBytes) {
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
          throw new HttpProblemException(
              400, "could not read the request body: " + chunk.getFailure().getMessage());
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

  void sendJson(int status, Object value) {
    byte[] body;
    try {
      body = WireJson.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
    send(status, JSON, body);
  }

  void sendText(int status, String contentType, String text) {
    send(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Passes a node's answer on unchanged: status, body, media type and the passed headers. */
  void sendAnswer(NodeAnswer answer) {
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.setStatus(answer.status());
    if (answer.contentType() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
    }
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  /** Answers a failure as a problem, or gives up on the connection once the answer has started. */
  void fail(Throwable failure) {
    if (response.isCommitted()) {
      callback.failed(failure);
      return;
    }
    // Drop headers an endpoint set before failing.
    response.reset();
    Problems.send(response, callback, failure, method(), instance());
  }

  private void send(int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body), callback);
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
      throw new HttpProblemException(
          415, "Content-Type must be application/json, not " + Printable.of(mediaType));
    }
  }

  private void awaitContent() {
    try (Blocker.Runnable blocker = Blocker.runnable()) {
      request.demand(blocker);
      blocker.block();
    } catch (IOException e) {
      // The client went away or stalled: its request, not the proxy, is at fault.
      throw new HttpProblemException(400, "could not read the request body: " + e.getMessage());
    }
  }

  private static PayloadTooLargeException tooLarge(int maxBytes) {
    return new PayloadTooLargeException("request body: over the limit of " + maxBytes + " bytes");
  }
}
