package dev.shardhook.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.routing.ShardMapSource;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.config.BreakerConfig;
import dev.shardhook.support.config.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs the command as main would; only with settings that stop it before a proxy starts. */
  private int execute(Map<String, String> env, String... args) {
    return ProxyMain.COMMAND.run(
        List.of(args), withoutKeys(env), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private ProxyConfig parse(Map<String, String> env, String... args) {
    return ProxyMain.COMMAND.config(withoutKeys(env), List.of(args));
  }

  /** Most tests here are about other settings: they run without API keys. */
  private static Map<String, String> withoutKeys(Map<String, String> env) {
    Map<String, String> out = new HashMap<>(env);
    if (!out.containsKey("SHARDHOOK_TENANTS_FILE")) {
      out.putIfAbsent("SHARDHOOK_INSECURE_NO_AUTH", "true");
    }
    return out;
  }

  @Test
  void startUpWithoutKeysIsRefusedUnlessInsecureNoAuthIsGiven() {
    Map<String, String> none = Map.of("SHARDHOOK_INSECURE_NO_AUTH", "false");
    assertThatThrownBy(() -> parse(none, "--shards", "s=http://h:1"))
        .hasMessageContaining("--tenants-file")
        .hasMessageContaining("--insecure-no-auth");
    assertThat(execute(none, "--shards", "s=http://h:1")).isEqualTo(2);
    assertThat(
            parse(Map.of("SHARDHOOK_TENANTS_FILE", "/etc/t.json"), "--shards", "s=http://h:1")
                .tenantsFile())
        .hasToString("/etc/t.json");
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    ProxyConfig config = parse(Map.of(), "--shards", "shard-0=http://h:1");

    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.forwardTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxRequestBytes()).isEqualTo(1 << 20);
    assertThat(config.statusInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.breaker()).isEqualTo(new BreakerConfig(Duration.ofSeconds(5), 10, 5, 50, 2));
  }

  @Test
  void theBreakerSettingsReachTheBreakers() {
    ProxyConfig config =
        parse(
            Map.of("SHARDHOOK_BREAKER_WINDOW", "20"),
            "--shards",
            "s=http://h:1",
            "--breaker-open-duration",
            "2s",
            "--breaker-min-calls",
            "8",
            "--breaker-failure-rate",
            "75",
            "--breaker-half-open-calls",
            "3");

    assertThat(config.breaker()).isEqualTo(new BreakerConfig(Duration.ofSeconds(2), 20, 8, 75, 3));
    var breakers = config.breaker().circuitBreakerConfig();
    assertThat(breakers.getSlidingWindowSize()).isEqualTo(20);
    assertThat(breakers.getMinimumNumberOfCalls()).isEqualTo(8);
    assertThat(breakers.getFailureRateThreshold()).isEqualTo(75f);
    assertThat(breakers.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
    assertThatThrownBy(
            () -> parse(Map.of(), "--shards", "s=http://h:1", "--breaker-failure-rate", "0"))
        .hasMessage("breaker-failure-rate: must be 1..100");
    assertThatThrownBy(
            () -> parse(Map.of(), "--shards", "s=http://h:1", "--breaker-min-calls", "11"))
        .hasMessage("breaker-min-calls: must be <= breaker-window");
  }

  @Test
  void helpListsEverySettingAndTheReadmeHasARowForEach() throws IOException {
    assertThat(execute(Map.of(), "--help")).isZero();
    String readme = Files.readString(Path.of("..", "README.md"));
    String table =
        readme.substring(readme.indexOf("## The sharding proxy"), readme.indexOf("### Shard map"));

    for (Setting<?> s : ProxySettings.ALL) {
      assertThat(out.toString()).contains(s.flag(), s.environmentVariable(), s.defaultText());
      String value = s.defaultText().equals("none") ? "none" : "`" + s.defaultText() + "`";
      assertThat(table).as(s.flag()).contains("| `" + s.flag() + "` | " + value + " |");
    }
  }

  @Test
  void readsEveryFlagAlsoFromTheEnvironment() throws IOException {
    Path map =
        Files.writeString(
            dir.resolve("m.yml"), "shards:\n  - id: s\n    nodes:\n      - http://h:1\n");

    ProxyConfig config =
        parse(
            Map.of(
                "SHARDHOOK_HTTP_HOST", "127.0.0.1",
                "SHARDHOOK_HTTP_PORT", "9000",
                "SHARDHOOK_SHARD_MAP", map.toString(),
                "SHARDHOOK_FORWARD_TIMEOUT", "20s",
                "SHARDHOOK_CONNECT_TIMEOUT", "250ms",
                "SHARDHOOK_MAX_REQUEST_BYTES", "4096",
                "SHARDHOOK_STATUS_INTERVAL", "PT2S"));

    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.shardMap().shards()).extracting(ShardMap.Shard::id).containsExactly("s");
    assertThat(config.forwardTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.maxRequestBytes()).isEqualTo(4096);
    assertThat(config.statusInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aFlagBeatsItsEnvironmentVariable() {
    ProxyConfig config =
        parse(
            Map.of("SHARDHOOK_HTTP_PORT", "9000"),
            "--http-port",
            "9001",
            "--shards",
            "s=http://h:1");

    assertThat(config.httpPort()).isEqualTo(9001);
  }

  @Test
  void needsExactlyOneShardMapSource() {
    assertThatThrownBy(() -> parse(Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("shard-map: required");
    assertThatThrownBy(() -> parse(Map.of(), "--shards", "s=http://h:1", "--shard-map", "x.json"))
        .hasMessage("give --shard-map or --shards, not both");
  }

  @Test
  void badValuesExitWith2AndOneLineOnStderr() {
    int unknownFlag = execute(Map.of(), "--nope");
    assertThat(unknownFlag).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1).first().asString().startsWith("shardhook-proxy:");

    err.getBuffer().setLength(0);
    int badDuration = execute(Map.of(), "--shards", "s=http://h:1", "--forward-timeout", "soon");
    assertThat(badDuration).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains("'soon' is not a duration");

    err.getBuffer().setLength(0);
    int badMap = execute(Map.of(), "--shards", "s=ftp://h:1");
    assertThat(badMap).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly(
            "shardhook-proxy: invalid configuration: --shards: shard 's': node 'ftp://h:1': must"
                + " be an absolute http or https URL such as http://10.0.0.5:8080");

    err.getBuffer().setLength(0);
    int badPort = execute(Map.of("SHARDHOOK_HTTP_PORT", "70000"), "--shards", "s=http://h:1");
    assertThat(badPort).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("shardhook-proxy: invalid configuration: http-port: must be 0..65535");
  }

  @Test
  void theConfigBuilderRefusesNonsense() {
    ProxyConfig.Builder valid =
        ProxyConfig.builder().insecureNoAuth(true).shardMap(ShardMapSource.parse("s=http://h:1"));

    assertThat(valid.build().toBuilder().build().shardMap()).isNotNull();
    assertThatThrownBy(() -> valid.forwardTimeout(Duration.ZERO).build())
        .hasMessage("forward-timeout: must be between 1ms and 10m");
    assertThatThrownBy(
            () ->
                valid
                    .forwardTimeout(Duration.ofSeconds(1))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build())
        .hasMessage("connect-timeout: must be between 1ms and the forward timeout");
    assertThatThrownBy(
            () ->
                ProxyConfig.builder()
                    .insecureNoAuth(true)
                    .shardMap(ShardMapSource.parse("s=http://h:1"))
                    .statusInterval(Duration.ofMillis(10))
                    .build())
        .hasMessage("status-interval: must be between 50ms and 1h");
    assertThatThrownBy(
            () ->
                ProxyConfig.builder()
                    .insecureNoAuth(true)
                    .shardMap(ShardMapSource.parse("s=http://h:1"))
                    .maxRequestBytes(10)
                    .build())
        .hasMessageStartingWith("max-request-bytes:");
  }
}
