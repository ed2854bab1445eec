package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandbox up}'s keys, tenants file, {@code --insecure-no-auth} and {@code --tls}, with fake
 * JVMs ({@link FakeJvms}) in place of nodes and proxies: what it writes, what it prints and the
 * flags every process gets. No node starts, so the keys are not tried here (SandboxTest does).
 */
class SandboxKeysAndTlsTest {
  @TempDir Path tmp;

  private FakeJvms fakes;
  private Path data;

  @BeforeEach
  void fakeJvms() throws Exception {
    fakes = FakeJvms.in(tmp);
    data = tmp.resolve("sandbox");
  }

  @AfterEach
  void down() throws Exception {
    SandboxScript.Result down = SandboxScript.run(fakes.env(), "down", "--data", data.toString());
    assertThat(down.code()).as(down.output()).isZero();
  }

  @Test
  void upMakesAnAdminKeyAndOneKeyPerTenantStoresOnlyTheirHashesAndReusesThem() throws Exception {
    SandboxScript.Result up = up("--tenants", "a,b");

    JsonNode sandbox = DeployFiles.readJson(data.resolve("sandbox.json"));
    String admin = sandbox.get("adminKey").asText();
    String a = sandbox.get("apiKeys").get("a").asText();
    String b = sandbox.get("apiKeys").get("b").asText();
    assertThat(List.of(admin, a, b)).allMatch(k -> k.matches("shk_[A-Za-z0-9_-]{43}"));
    assertThat(List.of(admin, a, b)).doesNotHaveDuplicates();
    assertThat(fieldNames(sandbox.get("apiKeys"))).containsExactly("a", "b");
    assertThat(stdoutLines(up)).containsExactly(sandbox.get("entry").asText(), a);
    assertThat(up.stderr()).doesNotContain(a, admin);

    Path tenantsFile = data.resolve("tenants.json");
    assertThat(permissions(tenantsFile)).isEqualTo("rw-------");
    assertThat(permissions(data.resolve("sandbox.json"))).isEqualTo("rw-------");
    JsonNode tenants = DeployFiles.readJson(tenantsFile).get("tenants");
    assertThat(fieldNames(tenants)).containsExactly("default", "a", "b");
    assertThat(key(tenants, "default")).containsExactly(sha256(admin), "admin");
    assertThat(key(tenants, "a")).containsExactly(sha256(a), "submit");
    assertThat(key(tenants, "b")).containsExactly(sha256(b), "submit");
    assertThat(Files.readString(tenantsFile)).doesNotContain(admin, a, b);
    // key ids name a key in logs: unique in the whole file (the nodes refuse a file otherwise)
    List<String> ids = new ArrayList<>();
    tenants.forEach(t -> t.get("keys").forEach(k -> ids.add(k.get("id").asText())));
    assertThat(ids).containsExactly("sandbox.admin", "a.sandbox", "b.sandbox");
    for (String process : List.of("shard-0-a", "shard-0-b", "shard-0-c", "proxy-0")) {
      assertThat(commandLine(process)).contains("--tenants-file " + tenantsFile);
      assertThat(commandLine(process)).doesNotContain("--insecure-no-auth", "--tls-");
    }

    assertThat(SandboxScript.run(fakes.env(), "down", "--data", data.toString()).code()).isZero();
    SandboxScript.Result again = up();

    JsonNode after = DeployFiles.readJson(data.resolve("sandbox.json"));
    assertThat(after.get("adminKey").asText()).isEqualTo(admin);
    assertThat(after.get("apiKeys").get("a").asText()).isEqualTo(a);
    assertThat(after.get("apiKeys").get("b").asText()).isEqualTo(b);
    assertThat(stdoutLines(again)).last().isEqualTo(a);
    assertThat(key(DeployFiles.readJson(tenantsFile).get("tenants"), "a"))
        .containsExactly(sha256(a), "submit");
  }

  @Test
  void aTenantNamedOnALaterUpGetsAKeyAndTheTenantsFileKeepsWhatWasAddedByHand() throws Exception {
    up();
    Path tenantsFile = data.resolve("tenants.json");
    String byHand =
        Files.readString(tenantsFile)
            .replaceFirst(
                "\"tenants\": \\{",
                "\"tenants\": {\"ops\": {\"keys\": [{\"id\": \"ops-1\", \"sha256\": \""
                    + sha256("shk_by_hand")
                    + "\", \"role\": \"read\"}], \"quotas\": {\"submitBurst\": 5}},");
    Files.writeString(tenantsFile, byHand);

    SandboxScript.Result running =
        SandboxScript.run(fakes.env(), "up", "--data", data.toString(), "--tenants", "c");

    assertThat(running.code()).as(running.output()).isZero();
    assertThat(running.stderr()).contains("already running in " + data);
    JsonNode sandbox = DeployFiles.readJson(data.resolve("sandbox.json"));
    assertThat(fieldNames(sandbox.get("apiKeys"))).containsExactly("c", "default");
    assertThat(stdoutLines(running)).last().isEqualTo(sandbox.get("apiKeys").get("c").asText());
    JsonNode tenants = DeployFiles.readJson(tenantsFile).get("tenants");
    assertThat(key(tenants, "c"))
        .containsExactly(sha256(sandbox.get("apiKeys").get("c").asText()), "submit");
    assertThat(key(tenants, "ops")).containsExactly(sha256("shk_by_hand"), "read");
    assertThat(tenants.get("ops").get("quotas").get("submitBurst").asInt()).isEqualTo(5);
  }

  @Test
  void insecureNoAuthPassesTheFlagAndMakesNoKeys() throws Exception {
    SandboxScript.Result up = up("--insecure-no-auth");

    JsonNode sandbox = DeployFiles.readJson(data.resolve("sandbox.json"));
    assertThat(sandbox.has("adminKey")).isFalse();
    assertThat(sandbox.has("apiKeys")).isFalse();
    assertThat(sandbox.get("insecureNoAuth").asBoolean()).isTrue();
    assertThat(stdoutLines(up)).containsExactly(sandbox.get("entry").asText());
    assertThat(data.resolve("tenants.json")).doesNotExist();
    assertThat(commandLine("shard-0-a")).contains("--insecure-no-auth").doesNotContain("--tenants");
    assertThat(commandLine("proxy-0")).contains("--insecure-no-auth");

    SandboxScript.Result withKeys = SandboxScript.run(fakes.env(), "up", "--data", data.toString());

    assertThat(withKeys.code()).as(withKeys.output()).isEqualTo(2);
    assertThat(withKeys.stderr())
        .contains(
            data
                + " runs with --insecure-no-auth and no --tls, not API keys and no --tls:"
                + " give the same flags, or stop it first");
  }

  @Test
  void tlsMakesACaAndACertificateForBothEndsAndEveryUrlIsHttps() throws Exception {
    assumeTrue(
        onPath("openssl"),
        "sandbox --tls test skipped: openssl is not installed (apt-get install openssl)");
    List<String> proxies = onPath("haproxy") ? List.of("--proxies", "2") : List.of();
    List<String> args = new ArrayList<>(List.of("--tls"));
    args.addAll(proxies);

    SandboxScript.Result up = up(args.toArray(String[]::new));

    Path tls = data.resolve("tls");
    JsonNode sandbox = DeployFiles.readJson(data.resolve("sandbox.json"));
    assertThat(sandbox.get("caCert").asText()).isEqualTo(tls.resolve("ca.pem").toString());
    assertThat(stdoutLines(up).getFirst()).startsWith("https://127.0.0.1:");
    assertThat(sandbox.get("entry").asText()).startsWith("https://");
    sandbox.get("proxies").forEach(p -> assertThat(p.get("url").asText()).startsWith("https://"));
    sandbox
        .get("shards")
        .get(0)
        .get("nodes")
        .forEach(n -> assertThat(n.get("url").asText()).startsWith("https://"));

    X509Certificate ca = certificate(tls.resolve("ca.pem"));
    X509Certificate cert = certificate(tls.resolve("cert.pem"));
    assertThat(ca.getBasicConstraints()).isNotNegative();
    cert.verify(ca.getPublicKey());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(Files.readString(tls.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(permissions(tls.resolve("key.pem"))).isEqualTo("rw-------");
    String tlsFlags =
        "--tls-cert %s --tls-key %s --tls-ca %s"
            .formatted(tls.resolve("cert.pem"), tls.resolve("key.pem"), tls.resolve("ca.pem"));
    assertThat(commandLine("shard-0-a")).contains(tlsFlags);
    assertThat(commandLine(proxies.isEmpty() ? "proxy-0" : "proxy-1")).contains(tlsFlags);

    // The fake nodes ask for a client certificate: status gets through only by showing one.
    SandboxScript.Result status = SandboxScript.run("status", "--data", data.toString());
    assertThat(status.code()).as(status.output()).isZero();
    assertThat(status.stdout())
        .containsPattern("shard-0-a +https://\\S+ +\\d+ +alive +200 +LEADER");

    if (!proxies.isEmpty()) {
      HaproxyConfig cfg = new HaproxyConfig(Files.readString(data.resolve("haproxy.cfg")));
      assertThat(cfg.section("defaults")).contains("mode tcp");
      assertThat(HaproxyConfig.starting(cfg.section("backend proxies"), "server"))
          .hasSize(2)
          .allMatch(s -> s.endsWith("check check-ssl verify none"));
    }

    String caBefore = Files.readString(tls.resolve("ca.pem"));
    assertThat(SandboxScript.run(fakes.env(), "down", "--data", data.toString()).code()).isZero();
    up("--tls");
    assertThat(Files.readString(tls.resolve("ca.pem")))
        .as("kept for later runs")
        .isEqualTo(caBefore);
  }

  private SandboxScript.Result up(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("up", "--data", data.toString(), "--wait", "30"));
    if (!Files.exists(data.resolve("sandbox.json"))) {
      args.addAll(List.of("--port", Integer.toString(FakeJvms.freePortRange())));
    }
    args.addAll(List.of(flags));
    SandboxScript.Result up = SandboxScript.run(fakes.env(), args.toArray(String[]::new));
    assertThat(up.code()).as(up.output()).isZero();
    return up;
  }

  /** The command line the launcher wrote at the head of the process's log for its last start. */
  private String commandLine(String process) throws Exception {
    List<String> heads =
        Files.readAllLines(data.resolve("logs").resolve(process + ".log")).stream()
            .filter(l -> l.startsWith("=== sandbox up "))
            .toList();
    assertThat(heads).as("starts of " + process).isNotEmpty();
    return heads.getLast() + " ";
  }

  private static List<String> stdoutLines(SandboxScript.Result r) {
    return r.stdout().strip().lines().toList();
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The sha256 and role of the sandbox's key of {@code tenant} (or its only key). */
  private static List<String> key(JsonNode tenants, String tenant) {
    JsonNode keys = tenants.get(tenant).get("keys");
    assertThat(keys).as("keys of " + tenant).hasSize(1);
    return List.of(keys.get(0).get("sha256").asText(), keys.get(0).get("role").asText());
  }

  private static String sha256(String key) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
