package dev.shardhook.node.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A receiver written on a plain {@link ServerSocket}, to behave the way real ones do at the
 * connection level, which MockWebServer hides: an HTTP/1.0 server that answers and closes (as
 * Python's {@code http.server} in the README), a keep-alive server that closes idle connections
 * after a timeout, and one that closes halfway through its answer.
 */
public final class RawHttpReceiver implements AutoCloseable {
  public enum Mode {
    /** {@code HTTP/1.0 204}, no {@code Connection} header, then close. */
    HTTP_1_0,
    /** {@code HTTP/1.1 204}, keeps the connection, closes it after {@code idleCloseMs} idle. */
    KEEP_ALIVE,
    /** Reads the request, sends part of the status line, then closes. */
    CLOSE_MID_RESPONSE,
    /** {@code HTTP/1.1 503} with the configured {@code Retry-After} header lines. */
    RETRY_AFTER
  }

  private final ServerSocket server;
  private final boolean https;
  private final Mode mode;
  private final int idleCloseMs;
  private final String[] retryAfter;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  public RawHttpReceiver(Mode mode, int idleCloseMs, String... retryAfter) throws IOException {
    this(null, mode, idleCloseMs, retryAfter);
  }

  /**
   * @param tls serves HTTPS with this context; null for plain HTTP
   */
  RawHttpReceiver(SSLContext tls, Mode mode, int idleCloseMs, String... retryAfter)
      throws IOException {
    this.mode = mode;
    this.idleCloseMs = idleCloseMs;
    this.retryAfter = retryAfter;
    this.https = tls != null;
    this.server =
        tls == null
            ? new ServerSocket(0, 200, InetAddress.getLoopbackAddress())
            : tls.getServerSocketFactory()
                .createServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("raw-receiver-accept").start(this::acceptLoop);
  }

  public String url(String path) {
    return (https ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** Requests read in full. */
  public int requests() {
    return requests.get();
  }

  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      if (s instanceof SSLSocket tls) {
        // the handshake is not idle time: on a loaded machine it can take longer than idleCloseMs
        s.setSoTimeout(10_000);
        tls.startHandshake();
      }
      s.setSoTimeout(mode == Mode.KEEP_ALIVE ? idleCloseMs : 10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (!closed) {
        if (!readRequest(in)) {
          return;
        }
        requests.incrementAndGet();
        switch (mode) {
          case HTTP_1_0 -> {
            out.write(ascii("HTTP/1.0 204 No Content\r\nServer: raw\r\n\r\n"));
            out.flush();
            return;
          }
          case KEEP_ALIVE -> {
            out.write(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
            out.flush();
          }
          case CLOSE_MID_RESPONSE -> {
            out.write(ascii("HTTP/1.1 20"));
            out.flush();
            return;
          }
          case RETRY_AFTER -> {
            StringBuilder b = new StringBuilder("HTTP/1.1 503 Service Unavailable\r\n");
            for (String v : retryAfter) {
              b.append("Retry-After: ").append(v).append("\r\n");
            }
            out.write(ascii(b.append("Content-Length: 0\r\n\r\n").toString()));
            out.flush();
          }
        }
      }
    } catch (SocketTimeoutException idle) {
      // idle timeout: closing is the point
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Reads one request (headers and a Content-Length body); false on end of stream. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        return false;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return in.readNBytes(length).length == length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
