package dev.shardhook.node.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * Network interceptor that stops a request from going out on a pooled HTTP/1 connection the
 * receiver has already closed. It runs after OkHttp picked the connection and before a byte of the
 * request is written, so when it throws {@link StaleConnectionException} nothing reached the
 * receiver, and the delivery may be made again on a fresh connection without spending an attempt.
 *
 * <p>OkHttp's own check of a pooled connection only reads the socket after 10 s idle (and never for
 * GET), so connections closed by HTTP/1.0 receivers or short keep-alive timeouts were reused and
 * failed with "unexpected end of stream". Two rules close that gap:
 *
 * <ul>
 *   <li>A reused connection is probed first: a read with a 1 ms timeout on the idle socket. Times
 *       out: the receiver is still there. End of stream, bytes nobody asked for, or an error: the
 *       receiver closed it, and the socket is closed so the pool drops it.
 *   <li>A connection whose answer was HTTP/1.0 without {@code Connection: keep-alive} is not
 *       persistent (RFC 9112 section 9.3): it is never used again.
 * </ul>
 *
 * <p>A receiver that closes between the probe and the write (a window of about a millisecond) still
 * fails the attempt: the request may have reached it, so that attempt counts.
 */
final class StaleConnectionProbe implements Interceptor {
  private static final int PROBE_TIMEOUT_MS = 1;

  // Connections this interceptor has sent on: seeing one again means OkHttp reused it. Weak, so
  // connections the pool dropped are forgotten.
  private final Set<Connection> used = Collections.synchronizedSet(newWeakSet());
  private final Set<Connection> notPersistent = Collections.synchronizedSet(newWeakSet());

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    if (connection != null && isHttp1(connection.protocol())) {
      if (notPersistent.contains(connection)) {
        close(connection.socket());
        throw new StaleConnectionException("the receiver's HTTP/1.0 connection is not persistent");
      }
      if (!used.add(connection)) {
        String why = probe(connection.socket());
        if (why != null) {
          close(connection.socket());
          throw new StaleConnectionException("pooled connection closed by the receiver: " + why);
        }
      }
    }
    Response response = chain.proceed(chain.request());
    if (connection != null
        && response.protocol() == Protocol.HTTP_1_0
        && !keepAlive(response.header("Connection"))) {
      notPersistent.add(connection);
    }
    return response;
  }

  /** Null while the idle socket is open; else what was found. */
  static String probe(Socket socket) {
    if (socket.isClosed() || socket.isInputShutdown() || socket.isOutputShutdown()) {
      return "socket closed";
    }
    int saved;
    try {
      saved = socket.getSoTimeout();
    } catch (IOException e) {
      return e.toString();
    }
    try {
      socket.setSoTimeout(PROBE_TIMEOUT_MS);
      InputStream in = socket.getInputStream();
      int b = in.read();
      return b == -1 ? "end of stream" : "unexpected bytes before the request";
    } catch (SocketTimeoutException open) {
      return null;
    } catch (IOException e) {
      return e.toString();
    } finally {
      try {
        socket.setSoTimeout(saved);
      } catch (IOException e) {
        // the next read fails and the attempt reports it
      }
    }
  }

  private static boolean isHttp1(Protocol p) {
    return p == Protocol.HTTP_1_1 || p == Protocol.HTTP_1_0;
  }

  private static boolean keepAlive(String connectionHeader) {
    return connectionHeader != null
        && connectionHeader.toLowerCase(Locale.ROOT).contains("keep-alive");
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  private static Set<Connection> newWeakSet() {
    Map<Connection, Boolean> map = new WeakHashMap<>();
    return Collections.newSetFromMap(map);
  }

  /** Thrown before any byte of the request was written: safe to send again. */
  static final class StaleConnectionException extends IOException {
    StaleConnectionException(String message) {
      super(message);
    }
  }
}
