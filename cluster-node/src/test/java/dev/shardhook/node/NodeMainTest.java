package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeMainTest {
  private static final String[] PEERS = {
    "--node-id", "a", "--peers", "a=127.0.0.1:9200,b=127.0.0.1:9201,c=127.0.0.1:9202"
  };

  private final StringWriter err = new StringWriter();

  private NodeMain parse(Map<String, String> env, String... args) {
    CommandLine cl = NodeMain.commandLine(new PrintWriter(err, true), env);
    cl.parseArgs(args);
    return cl.getCommand();
  }

  @Test
  void flagsBecomeTheConfig() {
    NodeConfig c =
        parse(
                Map.of(),
                concat(
                    PEERS,
                    "--shard-id",
                    "shard-7",
                    "--http-port",
                    "9090",
                    "--data-dir",
                    "/var/lib/sh",
                    "--workers",
                    "32",
                    "--max-pending",
                    "500",
                    "--attempt-timeout",
                    "1500ms",
                    "--shutdown-grace",
                    "PT3S",
                    "--allow-private-targets"))
            .config();

    assertThat(c.nodeId()).isEqualTo("a");
    assertThat(c.shardId()).isEqualTo("shard-7");
    assertThat(c.peers()).extracting(NodeConfig.Peer::port).containsExactly(9200, 9201, 9202);
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/sh"));
    assertThat(c.workers()).isEqualTo(32);
    assertThat(c.maxPending()).isEqualTo(500);
    assertThat(c.attemptTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.allowPrivateTargets()).isTrue();
  }

  @Test
  void environmentSetsWhatFlagsLeaveOutAndFlagsWin() {
    Map<String, String> env =
        Map.of(
            "SHARDHOOK_WORKERS", "12",
            "SHARDHOOK_MAX_PENDING", "77",
            "SHARDHOOK_SIGNING_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    NodeConfig c = parse(env, concat(PEERS, "--max-pending", "88")).config();

    assertThat(c.workers()).isEqualTo(12);
    assertThat(c.maxPending()).isEqualTo(88);
    assertThat(c.signingSecret()).hasValue("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertThat(c.perHostConcurrency()).isEqualTo(NodeConfig.DEFAULT_PER_HOST_CONCURRENCY);
  }

  @Test
  void aBadValueIsAOneLineErrorWithExitCode2() {
    int code =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute(concat(PEERS, "--workers", "0"));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("shardhook-node: invalid configuration: workers: must be 1..100000");
  }

  @Test
  void retentionAndTheDiskReserveComeFromFlagsOrTheEnvironment() {
    NodeConfig defaults = parse(Map.of(), PEERS).config();
    assertThat(defaults.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.minFreeDiskBytes()).isEqualTo(512L << 20);

    NodeConfig c =
        parse(Map.of("SHARDHOOK_MIN_FREE_DISK", "2GiB"), concat(PEERS, "--retention", "30s"))
            .config();
    assertThat(c.retention()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.minFreeDiskBytes()).isEqualTo(2L << 30);
    assertThat(
            parse(Map.of(), concat(PEERS, "--min-free-disk", "1000")).config().minFreeDiskBytes())
        .isEqualTo(1000);
    assertThat(NodeMain.environmentVariables())
        .contains("SHARDHOOK_RETENTION", "SHARDHOOK_MIN_FREE_DISK");

    int badSize =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute(concat(PEERS, "--min-free-disk", "lots"));
    int tooShort =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute(concat(PEERS, "--retention", "10ms"));
    assertThat(badSize).isEqualTo(2);
    assertThat(tooShort).isEqualTo(2);
    assertThat(err.toString()).contains("retention: must be between 1s and 100 years");
  }

  @Test
  void aMissingRequiredSettingNamesTheFlagAndTheVariable() {
    assertThatThrownBy(() -> parse(Map.of(), "--peers", "a=127.0.0.1:9200").config())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--node-id")
        .hasMessageContaining("SHARDHOOK_NODE_ID");
  }

  @Test
  void unparseableValuesAreRefusedBeforeStart() {
    int badPort =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute(concat(PEERS, "--http-port", "eighty"));
    int badDuration =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute(concat(PEERS, "--attempt-timeout", "soon"));
    int badPeers =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute("--node-id", "a", "--peers", "a-127.0.0.1");

    assertThat(badPort).isEqualTo(2);
    assertThat(badDuration).isEqualTo(2);
    assertThat(badPeers).isEqualTo(2);
    assertThat(err.toString())
        .contains("--http-port")
        .contains("'soon' is not a duration")
        .contains("peers: 'a-127.0.0.1' is not id=host:port")
        .doesNotContain("\tat ");
  }

  @Test
  void shardMapComesFromTheFlagOrTheEnvironmentAndIsOffWithout() {
    NodeConfig flag = parse(Map.of(), concat(PEERS, "--shard-map", "/etc/sh/shards.json")).config();
    NodeConfig env =
        parse(Map.of("SHARDHOOK_SHARD_MAP", "/etc/sh/env.json"), concat(PEERS)).config();
    NodeConfig none = parse(Map.of(), concat(PEERS)).config();

    assertThat(flag.shardMap()).hasValue(Path.of("/etc/sh/shards.json"));
    assertThat(env.shardMap()).hasValue(Path.of("/etc/sh/env.json"));
    assertThat(none.shardMap()).isEmpty();
    assertThat(NodeMain.environmentVariables()).contains("SHARDHOOK_SHARD_MAP");
  }

  @Test
  void aShardMapWithoutThisShardIsAConfigErrorBeforeAnythingStarts(@TempDir Path dir)
      throws Exception {
    Path map = dir.resolve("shards.json");
    Files.writeString(
        map,
        """
        {"shards": [{"id": "shard-0", "nodes": ["http://h:1"]},
                    {"id": "shard-1", "nodes": ["http://h:2"]}]}
        """);

    int code =
        NodeMain.commandLine(new PrintWriter(err, true), Map.of())
            .execute(
                concat(
                    PEERS,
                    "--shard-id",
                    "shard-9",
                    "--shard-map",
                    map.toString(),
                    "--data-dir",
                    dir.resolve("data").toString()));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("shardhook-node: invalid configuration: shard-map " + map)
        .contains("shard 'shard-9' is not in the map (its shards: shard-0, shard-1)");
    assertThat(dir.resolve("data")).as("nothing opened").doesNotExist();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
