package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeepAlivePosterTest {
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<Integer> ports = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private KeepAlivePoster poster;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ports.add(exchange.getRemoteAddress().getPort());
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          byte[] answer = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
          switch (exchange.getRequestURI().getPath()) {
            case "/sized" -> {
              exchange.sendResponseHeaders(201, answer.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
              }
            }
            case "/chunked" -> {
              exchange.sendResponseHeaders(201, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
                out.flush();
                out.write(answer);
              }
            }
            case "/closing" -> {
              exchange.getResponseHeaders().set("Connection", "close");
              exchange.sendResponseHeaders(429, -1);
              exchange.close();
            }
            default -> {
              exchange.sendResponseHeaders(404, -1);
              exchange.close();
            }
          }
        });
    server.start();
    poster =
        new KeepAlivePoster(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    poster.close();
    server.stop(0);
  }

  @Test
  void postsTheBodyAndReusesTheConnection() throws Exception {
    byte[] json = "{\"url\":\"http://x/\"}".getBytes(StandardCharsets.UTF_8);

    int first = poster.post("/sized", json);
    int second = poster.post("/chunked", json);
    int third = poster.post("/sized", json);

    assertThat(List.of(first, second, third)).containsOnly(201);
    assertThat(bodies).containsOnly("{\"url\":\"http://x/\"}").hasSize(3);
    assertThat(ports).hasSize(3).containsOnly(ports.get(0));
  }

  @Test
  void aClosedConnectionFailsThatCallAndTheNextOneReconnects() throws Exception {
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(poster.post("/sized", json)).isEqualTo(201);

    assertThatThrownBy(() -> poster.post("/closing", json))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("429");
    int again = poster.post("/sized", json);

    assertThat(again).isEqualTo(201);
    assertThat(ports.get(2)).isNotEqualTo(ports.get(0));
  }

  @Test
  void sendsTheApiKeyAsABearerTokenWithEveryRequestAndNoneWithout() throws Exception {
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    URI entry = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (KeepAlivePoster keyed = new KeepAlivePoster(entry, Duration.ofSeconds(5), "shk_abc-_1")) {
      assertThat(keyed.post("/sized", json)).isEqualTo(201);
      assertThat(keyed.post("/chunked", json)).isEqualTo(201);
    }
    assertThat(poster.post("/sized", json)).isEqualTo(201);

    assertThat(authorizations).containsExactly("Bearer shk_abc-_1", "Bearer shk_abc-_1", "null");
    assertThatThrownBy(() -> new KeepAlivePoster(entry, Duration.ofSeconds(1), "a b\r\nX: y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesHttpsAndOtherSchemes() {
    assertThatThrownBy(
            () -> new KeepAlivePoster(URI.create("https://127.0.0.1:1"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
