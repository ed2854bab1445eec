package dev.shardhook.support.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardhook.support.auth.Access;
import dev.shardhook.support.auth.Authenticator;
import dev.shardhook.support.http.ApiServer;
import dev.shardhook.support.http.Routes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Jetty serving HTTPS from PEM files, real OkHttp clients with and without a certificate.
 */
class TlsIdentityTest {
  private static final Duration POLL = Duration.ofMillis(100);

  @TempDir Path dir;

  private final HeldCertificate ca = TestPki.ca("test-ca");
  private TlsFiles serverFiles;
  private TlsIdentity server;
  private TlsIdentity client;
  private ApiServer api;

  @BeforeEach
  void start() {
    serverFiles = TestPki.write(dir.resolve("server"), ca, TestPki.leaf(ca, "server-1"));
    server = TlsIdentity.load(serverFiles, POLL);
    client = TlsIdentity.load(TestPki.write(dir.resolve("client"), ca, TestPki.leaf(ca, "proxy")));
    Routes routes =
        new Routes("test failed", Authenticator.none())
            .on("GET", "/hello", Access.OPEN, e -> e.sendJson(200, Map.of("hi", "tls")));
    api =
        ApiServer.start(
            "test",
            "127.0.0.1",
            0,
            routes,
            Duration.ofSeconds(1),
            Optional.of(server.serverFactory(true)));
  }

  @AfterEach
  void stop() {
    api.close();
    server.close();
    client.close();
  }

  @Test
  void servesHttpsToClientsWithACertificateFromTheCa() throws IOException {
    try (Response r = call(withIdentity(client))) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).isEqualTo("{\"hi\":\"tls\"}");
      assertThat(serverCommonName(r)).isEqualTo("CN=server-1");
    }
  }

  @Test
  void refusesClientsWithoutACertificateAtTheHandshake() {
    // trusts the server, presents nothing
    HandshakeCertificates trustOnly =
        new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
    OkHttpClient noCert =
        fresh().sslSocketFactory(trustOnly.sslSocketFactory(), trustOnly.trustManager()).build();

    assertThatThrownBy(() -> call(noCert).close()).isInstanceOf(IOException.class);
  }

  @Test
  void refusesClientsWithACertificateFromAnotherCa() {
    HeldCertificate otherCa = TestPki.ca("other-ca");
    HeldCertificate stranger = TestPki.leaf(otherCa, "stranger");
    HandshakeCertificates strangerCerts =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(ca.certificate())
            .heldCertificate(stranger)
            .build();
    OkHttpClient strangerClient =
        fresh()
            .sslSocketFactory(strangerCerts.sslSocketFactory(), strangerCerts.trustManager())
            .build();

    assertThatThrownBy(() -> call(strangerClient).close()).isInstanceOf(IOException.class);
  }

  @Test
  void newConnectionsSeeAReplacedCertificate() throws IOException {
    TestPki.write(dir.resolve("server"), ca, TestPki.leaf(ca, "server-2"));

    await("server certificate reloaded")
        .atMost(Duration.ofSeconds(10))
        .until(() -> reloaded(), cn -> cn.equals("CN=server-2"));
    // (a poll between the key's and the certificate's renames may count one failed reload first)
    assertThat(server.reloads()).isEqualTo(1);
  }

  @Test
  void aBrokenReplacementKeepsTheCurrentCertificate() throws IOException {
    TestPki.replace(serverFiles.key(), "not a key\n");

    await("broken files noticed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.failedReloads() == 1);
    try (Response r = call(withIdentity(client))) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(serverCommonName(r)).isEqualTo("CN=server-1");
    }
    assertThat(server.reloads()).isZero();
  }

  private String reloaded() throws IOException {
    try (Response r = call(withIdentity(client))) {
      return serverCommonName(r);
    }
  }

  private static String serverCommonName(Response r) {
    return ((X509Certificate) r.handshake().peerCertificates().getFirst())
        .getSubjectX500Principal()
        .getName();
  }

  private static OkHttpClient.Builder fresh() {
    // no pooled connection: each call makes a new handshake
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
        .callTimeout(Duration.ofSeconds(5));
  }

  private static OkHttpClient withIdentity(TlsIdentity identity) {
    return fresh().sslSocketFactory(identity.sslSocketFactory(), identity.trustManager()).build();
  }

  private Response call(OkHttpClient http) throws IOException {
    return http.newCall(
            new Request.Builder().url("https://127.0.0.1:" + api.port() + "/hello").build())
        .execute();
  }
}
