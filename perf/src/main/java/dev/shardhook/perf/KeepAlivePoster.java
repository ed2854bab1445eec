package dev.shardhook.perf;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * POSTs JSON over plain HTTP/1.1 keep-alive sockets, one per calling thread, the way {@code wrk}
 * does. The accept scenario measures the server: {@code java.net.http.HttpClient} spent about as
 * much CPU per request as the shard did on a two-core machine, and a load generator that competes
 * with the system under test for the same cores understates it. Plain {@code http} only. With an
 * API key every request carries it as {@code Authorization: Bearer}, as a real client's does.
 */
final class KeepAlivePoster implements AutoCloseable {
  private final String host;
  private final int port;
  private final int timeoutMs;
  private final String authorization;
  private final Map<Thread, Connection> connections = new ConcurrentHashMap<>();

  KeepAlivePoster(URI entry, Duration timeout) {
    this(entry, timeout, null);
  }

  /** {@code apiKey} null: no Authorization header (a sandbox with --insecure-no-auth). */
  KeepAlivePoster(URI entry, Duration timeout, String apiKey) {
    if (apiKey != null && !apiKey.matches("[\\x21-\\x7e]+")) {
      throw new IllegalArgumentException("an API key is printable ASCII without spaces");
    }
    this.authorization = apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n";
    if (!"http".equals(entry.getScheme()) || entry.getHost() == null) {
      throw new IllegalArgumentException("plain http entry URL needed, got " + entry);
    }
    this.host = entry.getHost();
    this.port = entry.getPort() > 0 ? entry.getPort() : 80;
    this.timeoutMs = Math.toIntExact(timeout.toMillis());
  }

  /** Sends the request and returns the status; the answer body is read and dropped. */
  int post(String path, byte[] json) throws IOException {
    Connection c = connections.get(Thread.currentThread());
    if (c == null) {
      c = new Connection();
      connections.put(Thread.currentThread(), c);
    }
    try {
      return c.post(path, json);
    } catch (IOException e) {
      connections.remove(Thread.currentThread());
      c.close();
      throw e;
    }
  }

  @Override
  public void close() {
    connections.values().forEach(Connection::close);
    connections.clear();
  }

  private final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      in = new BufferedInputStream(socket.getInputStream(), 16 << 10);
      out = socket.getOutputStream();
    }

    int post(String path, byte[] json) throws IOException {
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + host
              + ":"
              + port
              + "\r\n"
              + authorization
              + "Content-Type: application/json\r\nContent-Length: "
              + json.length
              + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[headBytes.length + json.length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(json, 0, request, headBytes.length, json.length);
      out.write(request);
      out.flush();
      return readResponse();
    }

    private int readResponse() throws IOException {
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> close = value.equalsIgnoreCase("close");
          default -> {}
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16);
            size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          skip(size);
          line();
        }
        line();
      } else if (length > 0) {
        skip(length);
      }
      if (close) {
        throw new IOException("server closed the connection after answering " + status);
      }
      return status;
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        long skipped = in.skip(n);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed mid-body");
          }
          skipped = 1;
        }
        n -= skipped;
      }
    }

    private String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream(64);
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          b.write(c);
        }
      }
      return b.toString(StandardCharsets.ISO_8859_1);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a socket we no longer use
      }
    }
  }
}
