package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox launcher's commands, flags, messages and exit codes where no JVM needs to start:
 * usage errors, a missing sandbox, {@code status} and {@code down} on a recorded layout, and a busy
 * port.
 */
class SandboxCommandLineTest {
  private static final String USAGE = "sandbox: usage: deploy/local/sandbox up|down|status";

  @TempDir Path data;

  @Test
  void badUsageExitsTwoWithTheReasonAndTheUsageLine() throws Exception {
    Map<List<String>, String> reasons =
        Map.ofEntries(
            Map.entry(List.of(), "missing command: up, down or status"),
            Map.entry(List.of("start"), "unknown command: start (use up, down or status)"),
            Map.entry(List.of("up", "--bogus"), "unknown option: --bogus"),
            Map.entry(List.of("up", "--shards"), "--shards needs a value"),
            Map.entry(
                List.of("up", "--shards", "0"),
                "--shards must be a whole number from 1 to 64 (got '0')"),
            Map.entry(
                List.of("up", "--proxies=10"),
                "--proxies must be a whole number from 1 to 9 (got '10')"),
            Map.entry(
                List.of("up", "--port", "80"), "--port must be a port number from 1024 to 65535"),
            Map.entry(
                List.of("up", "--retention", "5x"), "--retention must be a duration such as 30s"),
            Map.entry(
                List.of("up", "--signing-secret", "abc"), "--signing-secret must look like whsec_"),
            Map.entry(List.of("down", "--shards", "2"), "'down' takes only --data (got --shards)"),
            Map.entry(
                List.of("up", "--tenants", "a,B"),
                "--tenants must be distinct tenant names ([a-z0-9][a-z0-9_-]{0,62}) separated by"
                    + " commas (got 'a,B')"),
            Map.entry(List.of("up", "--tenants=a,a"), "--tenants must be distinct tenant names"),
            Map.entry(
                List.of("up", "--tenants", "a", "--insecure-no-auth"),
                "--tenants needs API keys: give either --tenants or --insecure-no-auth"),
            Map.entry(List.of("up", "--tls=yes"), "unknown option: --tls=yes"),
            Map.entry(List.of("status", "--tls"), "'status' takes only --data (got --tls)"));
    for (Map.Entry<List<String>, String> c : reasons.entrySet()) {
      SandboxScript.Result r = SandboxScript.run(c.getKey().toArray(String[]::new));
      assertThat(r.code()).as("%s: %s", c.getKey(), r.output()).isEqualTo(2);
      assertThat(r.stderr()).as("%s", c.getKey()).contains("sandbox: " + c.getValue(), USAGE);
      assertThat(r.stdout()).isEmpty();
    }
  }

  @Test
  void helpListsTheCommandsOnStdout() throws Exception {
    SandboxScript.Result r = SandboxScript.run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.stdout())
        .contains("deploy/local/sandbox up", "deploy/local/sandbox down", "Exit codes: 0 ok");
  }

  @Test
  void aMissingSandboxIsNothingToStopButNoStatus() throws Exception {
    String missing = data.resolve("nothing-here").toString();

    SandboxScript.Result down = SandboxScript.run("down", "--data", missing);
    SandboxScript.Result status = SandboxScript.run("status", "--data", missing);
    SandboxScript.Result noTopology = SandboxScript.run("status", "--data", data.toString());

    assertThat(down.code()).isZero();
    assertThat(down.stderr()).contains("(the directory does not exist)");
    assertThat(status.code()).isEqualTo(1);
    assertThat(noTopology.code()).isEqualTo(1);
    assertThat(noTopology.stderr()).contains("no sandbox in " + data + " (no sandbox.json)");
  }

  @Test
  void statusShowsEveryRecordedProcessAndExitsOneWhenTheyAreDown() throws Exception {
    writeTopology(null);

    SandboxScript.Result r = SandboxScript.run("status", "--data", data.toString());

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.stdout())
        .contains("sandbox " + data + "   entry http://127.0.0.1:1")
        .containsPattern("SHARD +NODE +URL +PID +STATE +READY +ROLE +LEADER +LAG")
        .containsPattern("shard-0 +shard-0-a +http://127.0.0.1:3 +- +dead +- ")
        .contains("shard-0 has no leader")
        .containsPattern("proxy +proxy-0 +http://127.0.0.1:2 +- +dead");
  }

  @Test
  void statusShowsRolesAndTheRaftLagAsTheLeaderSeesIt() throws Exception {
    List<HttpServer> nodes =
        List.of(
            node(
                200,
                """
                {"role": "LEADER", "leaderId": "shard-0-a", "lag": 0, "followers":
                 [{"id": "shard-0-b", "lag": 5}, {"id": "shard-0-c", "lag": 0}]}"""),
            node(
                503,
                """
                {"role": "FOLLOWER", "leaderId": "shard-0-a", "lag": 3, "stalled": true}"""),
            node(
                200,
                """
                {"role": "FOLLOWER", "leaderId": "shard-0-a", "lag": 1, "stalled": true}"""));
    try {
      writeTopology(null, 2, nodes.stream().map(n -> n.getAddress().getPort()).toList());

      SandboxScript.Result r = SandboxScript.run("status", "--data", data.toString());

      assertThat(r.code()).as("the nodes' PIDs are not running").isEqualTo(1);
      assertThat(r.stdout())
          .containsPattern("shard-0-a +http://\\S+ +- +dead +200 +LEADER +shard-0-a +0\n")
          .containsPattern("shard-0-b +http://\\S+ +- +dead +503 +FOLLOWER +shard-0-a +5 stalled\n")
          .containsPattern("shard-0-c +http://\\S+ +- +dead +200 +FOLLOWER +shard-0-a +0 stalled\n")
          .doesNotContain("has no leader");
    } finally {
      nodes.forEach(n -> n.stop(0));
    }
  }

  /** A node that answers /ready with {@code ready} and /status with {@code status}. */
  private static HttpServer node(int ready, String status) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ready", exchange -> answer(exchange, ready, "{}"));
    server.createContext("/status", exchange -> answer(exchange, 200, status));
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void downSignalsNoPidThatIsNotTheRecordedProcess() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "60").start();
    try {
      writeTopology(stranger.pid());

      SandboxScript.Result r = SandboxScript.run("down", "--data", data.toString());

      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.stderr())
          .contains(
              "shard-0-a: pid " + stranger.pid() + " is not running (or is no longer this node)")
          .contains("nothing running in " + data);
      assertThat(stranger.isAlive()).isTrue();
      JsonNode after = DeployFiles.JSON.readTree(data.resolve("sandbox.json").toFile());
      assertThat(after.get("proxies").get(0).get("pid").isNull()).isTrue();
      assertThat(after.get("shards").get(0).get("nodes").get(0).get("pid").isNull()).isTrue();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void upExitsThreeAndStartsNothingWhenAPortIsBusy() throws Exception {
    Path jar = Files.writeString(data.resolve("not-started.jar"), "never run");
    try (ServerSocket taken = portBelow(65535 - 1002)) {
      int port = taken.getLocalPort() - 20; // node shard-0-a serves HTTP on PORT+20
      Path dir = data.resolve("sandbox");

      SandboxScript.Result r =
          SandboxScript.run(
              Map.of("SANDBOX_NODE_JAR", jar.toString(), "SANDBOX_PROXY_JAR", jar.toString()),
              "up",
              "--data",
              dir.toString(),
              "--port",
              Integer.toString(port));

      assertThat(r.code()).as(r.output()).isEqualTo(SandboxScript.EXIT_PORT_BUSY);
      assertThat(r.stderr())
          .contains(
              "port " + taken.getLocalPort() + " (for shard-0-a HTTP) is already in use",
              "free it, or pick another --port");
      assertThat(dir.resolve("sandbox.json")).doesNotExist();
    }
  }

  @Test
  void anExistingLayoutWinsOverConflictingFlagsAndKeepsItsPorts() throws Exception {
    Path jar = Files.writeString(data.resolve("not-started.jar"), "never run");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      writeTopology(null, taken.getLocalPort());

      SandboxScript.Result r =
          SandboxScript.run(
              Map.of("SANDBOX_NODE_JAR", jar.toString(), "SANDBOX_PROXY_JAR", jar.toString()),
              "up",
              "--data",
              data.toString(),
              "--shards",
              "2",
              "--port",
              "9000");

      assertThat(r.code()).as(r.output()).isEqualTo(SandboxScript.EXIT_PORT_BUSY);
      assertThat(r.stderr())
          .contains(
              "already defines 1 shard(s) and 1 prox(ies) with the entry on port 1;",
              "so --shards 2 --port 9000 is ignored.",
              "port " + taken.getLocalPort() + " (for proxy-0 HTTP) is already in use",
              "free it: the ports of an existing sandbox are fixed by "
                  + data.resolve("sandbox.json"));
    }
  }

  @Test
  void aPortWhoseRaftPortsWouldPassTheLastPortIsBadUsage() throws Exception {
    SandboxScript.Result r =
        SandboxScript.run("up", "--data", data.toString(), "--port", "64600", "--shards", "3");

    assertThat(r.code()).as(r.output()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("--port 64600 with 3 shard(s) needs ports up to 65608; pick a lower --port");
  }

  /** A listening port a sandbox could have at PORT+20: its Raft ports (up to PORT+1002) exist. */
  private static ServerSocket portBelow(int highest) throws Exception {
    for (int attempt = 0; ; attempt++) {
      ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      if (socket.getLocalPort() <= highest || attempt == 50) {
        return socket;
      }
      socket.close();
    }
  }

  /** A one-shard, one-proxy sandbox.json on ports nothing listens on, every PID {@code pid}. */
  private void writeTopology(Long pid) throws Exception {
    writeTopology(pid, 2);
  }

  /** The same with the proxy on {@code proxyPort}. */
  private void writeTopology(Long pid, int proxyPort) throws Exception {
    writeTopology(pid, proxyPort, List.of(3, 4, 5));
  }

  /** The same with nodes a, b and c serving HTTP on {@code nodePorts}. */
  private void writeTopology(Long pid, int proxyPort, List<Integer> nodePorts) throws Exception {
    String p = pid == null ? "null" : pid.toString();
    StringBuilder nodes = new StringBuilder();
    for (String letter : List.of("a", "b", "c")) {
      int port = nodePorts.get("abc".indexOf(letter));
      nodes.append(nodes.isEmpty() ? "" : ",");
      nodes.append(
          """
          {"id": "shard-0-%s", "url": "http://127.0.0.1:%d", "pid": %s, "raft": "127.0.0.1:%d"}"""
              .formatted(letter, port, p, 13 + "abc".indexOf(letter)));
    }
    Files.writeString(
        data.resolve("sandbox.json"),
        """
        {"entry": "http://127.0.0.1:1",
         "proxies": [{"id": "proxy-0", "url": "http://127.0.0.1:%d", "pid": %s}],
         "shards": [{"id": "shard-0", "nodes": [%s]}]}
        """
            .formatted(proxyPort, p, nodes));
  }
}
