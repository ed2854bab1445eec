package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.config.BreakerConfig;
import dev.shardhook.support.config.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMainTest {
  private static final String[] PEERS = {
    "--node-id",
    "a",
    "--peers",
    "a=127.0.0.1:9200,b=127.0.0.1:9201,c=127.0.0.1:9202",
    "--insecure-no-auth"
  };

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static NodeConfig parse(Map<String, String> env, String... args) {
    return NodeMain.parse(env, args);
  }

  /** Runs the command as main would; only with settings that stop it before a node starts. */
  private int execute(Map<String, String> env, String... args) {
    return NodeMain.COMMAND.run(
        List.of(args), env, new PrintWriter(out, true), new PrintWriter(err, true));
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
                "--allow-private-targets"));

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

    NodeConfig c = parse(env, concat(PEERS, "--max-pending", "88"));

    assertThat(c.workers()).isEqualTo(12);
    assertThat(c.maxPending()).isEqualTo(88);
    assertThat(c.signingSecret()).hasValue("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertThat(c.perHostConcurrency()).isEqualTo(NodeConfig.DEFAULT_PER_HOST_CONCURRENCY);
  }

  @Test
  void aBadValueIsAOneLineErrorWithExitCode2() {
    int code = execute(Map.of(), concat(PEERS, "--workers", "0"));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("shardhook-node: invalid configuration: workers: must be 1..100000");
  }

  @Test
  void retentionAndTheDiskReserveComeFromFlagsOrTheEnvironment() {
    NodeConfig defaults = parse(Map.of(), PEERS);
    assertThat(defaults.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.minFreeDiskBytes()).isEqualTo(512L << 20);

    NodeConfig c =
        parse(Map.of("SHARDHOOK_MIN_FREE_DISK", "2GiB"), concat(PEERS, "--retention", "30s"));
    assertThat(c.retention()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.minFreeDiskBytes()).isEqualTo(2L << 30);
    assertThat(parse(Map.of(), concat(PEERS, "--min-free-disk", "1000")).minFreeDiskBytes())
        .isEqualTo(1000);
    assertThat(NodeMain.environmentVariables())
        .contains("SHARDHOOK_RETENTION", "SHARDHOOK_MIN_FREE_DISK");

    int badSize = execute(Map.of(), concat(PEERS, "--min-free-disk", "lots"));
    int tooShort = execute(Map.of(), concat(PEERS, "--retention", "10ms"));
    assertThat(badSize).isEqualTo(2);
    assertThat(tooShort).isEqualTo(2);
    assertThat(err.toString()).contains("retention: must be between 1s and 100 years");
  }

  @Test
  void startUpWithoutKeysIsRefusedUnlessInsecureNoAuthIsGiven() {
    String[] noAuth = {"--node-id", "a", "--peers", "a=127.0.0.1:9200"};
    assertThatThrownBy(() -> parse(Map.of(), noAuth))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--tenants-file")
        .hasMessageContaining("--insecure-no-auth");
    assertThat(execute(Map.of(), noAuth)).isEqualTo(2);
    assertThat(
            parse(Map.of("SHARDHOOK_TENANTS_FILE", "/etc/shardhook/tenants.json"), noAuth)
                .tenantsFile())
        .hasToString("/etc/shardhook/tenants.json");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of("SHARDHOOK_TENANTS_FILE", "/etc/t.json"),
                    concat(noAuth, "--insecure-no-auth")))
        .hasMessageContaining("not both");
  }

  @Test
  void aMissingRequiredSettingNamesTheFlagAndTheVariable() {
    assertThatThrownBy(() -> parse(Map.of(), "--peers", "a=127.0.0.1:9200"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--node-id")
        .hasMessageContaining("SHARDHOOK_NODE_ID");
  }

  @Test
  void unparseableValuesAreRefusedBeforeStart() {
    int badPort = execute(Map.of(), concat(PEERS, "--http-port", "eighty"));
    int badDuration = execute(Map.of(), concat(PEERS, "--attempt-timeout", "soon"));
    int badPeers = execute(Map.of(), "--node-id", "a", "--peers", "a-127.0.0.1");

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
    NodeConfig flag = parse(Map.of(), concat(PEERS, "--shard-map", "/etc/sh/shards.json"));
    NodeConfig env = parse(Map.of("SHARDHOOK_SHARD_MAP", "/etc/sh/env.json"), concat(PEERS));
    NodeConfig none = parse(Map.of(), concat(PEERS));

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
        execute(
            Map.of(),
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

  @Test
  void theFormerlyHiddenKnobsAreSettingsThatReachTheirComponents() {
    NodeConfig defaults = parse(Map.of(), PEERS);
    assertThat(defaults.groupCommit().groupCommitMaxInFlight()).isEqualTo(8);
    assertThat(defaults.groupCommit().commitTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.groupCommit().groupCommitMaxJobs()).isEqualTo(512);
    assertThat(defaults.raft().clientRetryMinSleep()).isEqualTo(Duration.ofMillis(20));
    assertThat(defaults.raft().clientRetryMaxSleep()).isEqualTo(Duration.ofMillis(100));
    assertThat(defaults.raft().clientRetryMaxAttempts()).isEqualTo(100);
    assertThat(defaults.raft().raftSegmentBytes()).isEqualTo(32L << 20);
    assertThat(defaults.dispatch().destinationBreaker())
        .isEqualTo(new BreakerConfig(Duration.ofSeconds(10), 50, 20, 50, 5));
    assertThat(
            parse(
                    Map.of("SHARDHOOK_DESTINATION_BREAKER_WINDOW", "30"),
                    concat(PEERS, "--destination-breaker-open-duration", "1m"))
                .dispatch()
                .destinationBreaker())
        .isEqualTo(new BreakerConfig(Duration.ofMinutes(1), 30, 20, 50, 5));
    assertThatThrownBy(() -> parse(Map.of(), concat(PEERS, "--destination-breaker-window", "10")))
        .hasMessage("destination-breaker-min-calls: must be <= destination-breaker-window");

    NodeConfig c =
        parse(
            Map.of("SHARDHOOK_COMMIT_TIMEOUT", "3s", "SHARDHOOK_RAFT_SEGMENT_BYTES", "1MiB"),
            concat(
                PEERS,
                "--group-commit-max-in-flight",
                "2",
                "--group-commit-max-jobs",
                "64",
                "--group-commit-max-delay",
                "5ms",
                "--raft-client-retry-min-sleep",
                "10ms",
                "--raft-client-retry-max-sleep",
                "1s",
                "--raft-client-retry-max-attempts",
                "7"));
    assertThat(c.groupCommit())
        .isEqualTo(
            new dev.shardhook.node.raft.GroupCommitConfig(
                64, Duration.ofMillis(5), 2, Duration.ofSeconds(3)));
    assertThat(c.raft().clientRetryMinSleep()).isEqualTo(Duration.ofMillis(10));
    assertThat(c.raft().clientRetryMaxSleep()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.raft().clientRetryMaxAttempts()).isEqualTo(7);
    assertThat(c.raftSegmentBytes()).isEqualTo(1L << 20);
    assertThat(c.dispatch().workers()).isEqualTo(c.workers());
    assertThat(c.delivery().attemptTimeout()).isEqualTo(c.attemptTimeout());

    assertThatThrownBy(() -> parse(Map.of(), concat(PEERS, "--group-commit-max-in-flight", "0")))
        .hasMessage("group-commit-max-in-flight: must be 1..1000");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(),
                    concat(
                        PEERS,
                        "--raft-client-retry-min-sleep",
                        "2s",
                        "--raft-client-retry-max-sleep",
                        "1s")))
        .hasMessage("raft-client-retry-max-sleep: must be >= raft-client-retry-min-sleep");
  }

  @Test
  void helpListsEverySettingWithItsVariableAndDefault() {
    int code = execute(Map.of(), "--help");

    assertThat(code).isZero();
    assertThat(NodeSettings.ALL).hasSize(NodeMain.environmentVariables().size());
    for (Setting<?> s : NodeSettings.ALL) {
      assertThat(out.toString()).contains(s.flag(), s.environmentVariable(), s.defaultText());
    }
    assertThat(out.toString())
        .contains("--min-free-disk <bytes>  SHARDHOOK_MIN_FREE_DISK  (default: 512MiB)")
        .contains("--retention <duration>  SHARDHOOK_RETENTION  (default: 7d)")
        .contains("--node-id <text>  SHARDHOOK_NODE_ID  (required)");
  }

  @Test
  void theReadmeHasOneRowPerSettingWithItsDefault() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table =
        readme.substring(
            readme.indexOf("## Configuration (cluster-node)"),
            readme.indexOf("## Running one shard by hand"));

    for (Setting<?> s : NodeSettings.ALL) {
      assertThat(table).as(s.flag()).contains("| `" + s.flag() + "` | " + readmeDefault(s) + " |");
    }
  }

  static String readmeDefault(Setting<?> s) {
    String text = s.defaultText();
    return text.equals("required") || text.equals("none") ? text : "`" + text + "`";
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
