package dev.shardhook.support.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.QueueFullException;
import dev.shardhook.support.auth.Access;
import dev.shardhook.support.auth.Authenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kit as a server sees it: a real Jetty on loopback, a real HTTP client. */
class RoutesTest {
  private static final String INTERNAL = "the test server failed; see its log";

  private final List<String> answered = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private ApiServer server;

  @BeforeEach
  void start() {
    Routes routes =
        new Routes(INTERNAL, Authenticator.none())
            .on("GET", "/hello", Access.OPEN, e -> e.sendJson(200, Map.of("hello", "world")))
            .on(
                "POST",
                "/echo",
                Access.OPEN,
                e -> e.sendJson(201, RequestJson.readTree(e.readJsonBody(16))))
            .on(
                "POST",
                "/busy",
                Access.OPEN,
                e -> {
                  throw new QueueFullException(5, Duration.ofMillis(1500));
                })
            .on(
                "GET",
                "/bug",
                Access.OPEN,
                e -> {
                  throw new IllegalStateException("internal detail that must not leak");
                })
            .onPrefix(
                "GET",
                "/things/",
                "/things/{id}",
                Access.OPEN,
                e -> e.sendText(200, "text/plain", "t"))
            .onPrefix(
                "DELETE",
                "/things/",
                "/things/{id}",
                Access.OPEN,
                e -> e.sendText(200, "text/plain", ""))
            .listener((route, method, status) -> answered.add(route + " " + method + " " + status));
    server = ApiServer.start("test", "127.0.0.1", 0, routes, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesExactAndPrefixRoutesAndHeadByGet() throws Exception {
    assertThat(send("GET", "/hello", null, null).body()).isEqualTo("{\"hello\":\"world\"}");
    assertThat(send("GET", "/things/a1", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> head = send("HEAD", "/hello", null, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    // The listener hears of an answer once its endpoint returns, which may be after the client
    // has read it.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(answered)
                    .containsExactly("/hello GET 200", "/things/{id} GET 200", "/hello HEAD 200"));
  }

  @Test
  void unknownPathIs404AndNestedPrefixPathIsUnknown() throws Exception {
    for (String path : List.of("/nope", "/things/a/b", "/things/")) {
      HttpResponse<String> r = send("GET", path, null, null);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      JsonNode p = json(r);
      assertThat(p.get("type").asText()).isEqualTo("https://shardhook.dev/problems/not-found");
      assertThat(p.get("detail").asText()).isEqualTo("no resource at " + path);
      assertThat(p.get("instance").asText()).isEqualTo(path);
    }
    assertThat(answered).allMatch(a -> a.startsWith("unknown GET 404"));
  }

  @Test
  void otherMethodOnKnownPathIs405WithAllow() throws Exception {
    HttpResponse<String> r = send("PUT", "/things/a1", "{}", "application/json");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("DELETE, GET, HEAD");
    assertThat(json(r).get("detail").asText())
        .isEqualTo("PUT is not allowed here; allowed: DELETE, GET, HEAD");
    assertThat(answered).containsExactly("/things/{id} PUT 405");
  }

  @Test
  void jsonBodiesAreCheckedForMediaTypeSizeAndSyntax() throws Exception {
    assertThat(send("POST", "/echo", "{\"a\":1}", null).statusCode()).isEqualTo(201);
    assertThat(send("POST", "/echo", "{\"a\":1}", "application/merge-patch+json").statusCode())
        .isEqualTo(201);

    HttpResponse<String> text = send("POST", "/echo", "{}", "text/plain");
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(json(text).get("detail").asText())
        .isEqualTo("Content-Type must be application/json, not text/plain");

    HttpResponse<String> big = send("POST", "/echo", "{\"a\":\"0123456789abcdef\"}", null);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(json(big).get("detail").asText())
        .isEqualTo("request body: over the limit of 16 bytes");

    HttpResponse<String> bad = send("POST", "/echo", "{\"a\":", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("type").asText()).endsWith("/invalid-job");
    assertThat(json(bad).get("detail").asText()).startsWith("malformed JSON at line 1");
  }

  @Test
  void problemsCarryTheirHeadersAndBugsAGeneric500() throws Exception {
    HttpResponse<String> busy = send("POST", "/busy", "{}", null);
    assertThat(busy.statusCode()).isEqualTo(429);
    assertThat(busy.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(json(busy).get("title").asText()).isEqualTo("Queue full");

    HttpResponse<String> bug = send("GET", "/bug", null, null);
    assertThat(bug.statusCode()).isEqualTo(500);
    assertThat(json(bug).get("detail").asText()).isEqualTo(INTERNAL);
    assertThat(bug.body()).doesNotContain("must not leak");
  }

  private HttpResponse<String> send(String method, String path, String body, String contentType)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return WireJson.mapper().readTree(r.body());
  }
}
