package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.ShardNode;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.proxy.ProxyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose: no Docker engine runs here, so compose.yaml, haproxy.cfg, prometheus.yml and
 * shards.json are parsed and cross-checked against each other and against the node's real flag
 * handling. haproxy and promtool validate their files where they are installed.
 */
class ComposeStackTest {
  static final List<String> SHARDS = List.of("shard-0", "shard-1", "shard-2");
  static final List<String> MEMBERS = List.of("a", "b", "c");
  static final List<String> PROXIES = List.of("proxy-0", "proxy-1");
  static final int RAFT_PORT = 9200;
  static final String DATA_DIR = "/var/lib/shardhook";

  /** Where the operator puts tenants.json and prometheus.key (git-ignored). */
  static final Path SECRETS = DeployFiles.compose().resolve("secrets");

  static ComposeFile compose;
  static List<String> nodes;

  @BeforeAll
  static void load() {
    compose = new ComposeFile(DeployFiles.compose().resolve("compose.yaml"));
    nodes = new ArrayList<>();
    for (String s : SHARDS) {
      for (String m : MEMBERS) {
        nodes.add(s + "-" + m);
      }
    }
  }

  @Test
  void stackHasNineNodesTwoProxiesHaproxyAndPrometheus() {
    List<String> expected = new ArrayList<>(nodes);
    expected.addAll(PROXIES);
    expected.addAll(List.of("haproxy", "prometheus"));
    assertThat(compose.serviceNames()).containsExactlyInAnyOrderElementsOf(expected);
    Set<String> topLevel = new TreeSet<>();
    compose.root.fieldNames().forEachRemaining(topLevel::add);
    topLevel.removeIf(k -> k.startsWith("x-"));
    assertThat(topLevel)
        .isSubsetOf("name", "services", "volumes", "networks", "configs", "secrets");
  }

  @Test
  void eachNodeGetsItsIdShardAndPeersFromTheEnvironment() {
    Set<String> known = NodeFlags.environmentVariables();
    for (String shard : SHARDS) {
      List<NodeConfig.Peer> expectedPeers =
          MEMBERS.stream()
              .map(m -> new NodeConfig.Peer(shard + "-" + m, shard + "-" + m, RAFT_PORT))
              .toList();
      for (String m : MEMBERS) {
        String service = shard + "-" + m;
        Map<String, String> env = compose.environment(service);
        assertThat(env.keySet())
            .as(service + " variables the node reads")
            .allMatch(known::contains);
        NodeConfig config = NodeFlags.configFromEnv(env);
        assertThat(config.nodeId()).as(service).isEqualTo(service);
        assertThat(config.shardId()).as(service).isEqualTo(shard);
        assertThat(config.peers()).as(service + " peers").containsExactlyElementsOf(expectedPeers);
        assertThat(config.signingSecret()).as("unset by default").isEmpty();
        assertThat(config.allowPrivateTargets()).as("off by default").isFalse();
        assertThat(expose(service)).as(service + " expose").contains(config.httpPort(), RAFT_PORT);
        assertThat(compose.service(service).path("image").asText()).isEqualTo("shardhook/node:dev");
        assertBuild(service, "deploy/compose/node.Dockerfile");
      }
    }
  }

  @Test
  void eachNodeKeepsItsDataOnItsOwnNamedVolume() {
    Set<String> declared = new HashSet<>();
    compose.root.path("volumes").fieldNames().forEachRemaining(declared::add);
    Set<String> used = new HashSet<>();
    for (String service : nodes) {
      NodeConfig config = NodeFlags.configFromEnv(compose.environment(service));
      assertThat(config.dataDir()).isEqualTo(Path.of(DATA_DIR));
      Map<String, String> volumes = compose.volumes(service);
      List<String> data =
          volumes.entrySet().stream()
              .filter(e -> Path.of(e.getValue()).equals(config.dataDir()))
              .map(Map.Entry::getKey)
              .toList();
      assertThat(data).as(service + " data volume").hasSize(1);
      assertThat(declared).as("named volume, declared at the top level").contains(data.get(0));
      assertThat(used.add(data.get(0))).as(data.get(0) + " shared by two nodes").isTrue();
    }
  }

  @Test
  void nodesCheckHealthAndStopWithinALongerGraceThanTheirShutdownGrace() {
    for (String service : nodes) {
      NodeConfig config = NodeFlags.configFromEnv(compose.environment(service));
      assertThat(compose.healthcheck(service))
          .as(service + " healthcheck")
          .startsWith("CMD")
          .contains("http://127.0.0.1:" + config.httpPort() + "/health");
      Duration stop =
          ComposeFile.duration(compose.service(service).path("stop_grace_period").asText());
      assertThat(stop)
          .as(service + " stop_grace_period (Docker sends SIGKILL after it)")
          // the node's own bound on its shutdown, and a margin for the JVM to exit
          .isGreaterThanOrEqualTo(ShardNode.worstCaseShutdown(config).plusSeconds(5))
          .isGreaterThan(config.shutdownGrace());
      assertThat(compose.service(service).path("restart").asText())
          .isIn("unless-stopped", "always");
    }
  }

  @Test
  void proxiesReadTheMountedShardMapAndCheckHealth() {
    for (String proxy : PROXIES) {
      Map<String, String> env = compose.environment(proxy);
      assertThat(env.keySet())
          .as(proxy + " variables the proxy reads")
          .allMatch(ProxyFlags.environmentVariables()::contains);
      ProxyConfig config =
          ProxyFlags.configFromEnv(env, DeployFiles.compose().resolve("shards.json"));
      assertThat(config.shardMap().shards()).as(proxy + " shard map").hasSize(SHARDS.size());
      int port = Integer.parseInt(env.getOrDefault("SHARDHOOK_HTTP_PORT", "8080"));
      assertThat(port).isEqualTo(KubernetesManifestsTest.PROXY_HTTP_PORT);
      assertThat(compose.volumes(proxy))
          .containsEntry("./shards.json", env.get("SHARDHOOK_SHARD_MAP"));
      assertThat(compose.service(proxy).path("volumes").get(0).asText()).endsWith(":ro");
      assertThat(compose.healthcheck(proxy)).contains("http://127.0.0.1:" + port + "/health");
      assertThat(expose(proxy)).contains(port);
      assertThat(compose.dependsOn(proxy)).containsExactlyInAnyOrderElementsOf(nodes);
      assertThat(compose.service(proxy).path("image").asText()).isEqualTo("shardhook/proxy:dev");
      assertBuild(proxy, "deploy/compose/proxy.Dockerfile");
      assertThat(compose.service(proxy).has("ports")).as("reached through HAProxy only").isFalse();
    }
    for (String node : nodes) {
      assertThat(compose.service(node).has("ports"))
          .as(node + ": reached inside the network only")
          .isFalse();
    }
  }

  @Test
  void nodesReadTheProxiesMountedShardMapAndFindTheirShardInIt() {
    for (String node : nodes) {
      NodeConfig config = NodeFlags.configFromEnv(compose.environment(node));
      assertThat(config.shardMap()).as(node + " SHARDHOOK_SHARD_MAP").isPresent();
      assertThat(compose.volumes(node))
          .as(node + " mounts the proxies' map where it reads it")
          .containsEntry("./shards.json", config.shardMap().get().toString());
      assertThat(compose.service(node).path("volumes"))
          .extracting(JsonNode::asText)
          .filteredOn(v -> v.startsWith("./shards.json:"))
          .singleElement()
          .satisfies(v -> assertThat(v).endsWith(":ro"));
      // The node's own reader, as at start-up: its shard must be in the map.
      assertThat(
              ShardOwnership.read(DeployFiles.compose().resolve("shards.json"), config.shardId())
                  .shardId())
          .isEqualTo(config.shardId());
    }
  }

  @Test
  void composeShardMapListsEveryNodeServiceOnItsHttpPort() {
    ShardMap map =
        ShardMap.parse(
            "compose shards.json", DeployFiles.read(DeployFiles.compose().resolve("shards.json")));
    Map<String, List<String>> expected = new TreeMap<>();
    for (String shard : SHARDS) {
      List<String> urls = new ArrayList<>();
      for (String m : MEMBERS) {
        String service = shard + "-" + m;
        NodeConfig config = NodeFlags.configFromEnv(compose.environment(service));
        assertThat(config.shardId()).isEqualTo(shard);
        urls.add("http://" + service + ":" + config.httpPort());
      }
      expected.put(shard, urls);
    }
    assertThat(new TreeMap<>(map.shards())).isEqualTo(expected);
  }

  @Test
  void everyNodeAndProxyReadsTheOperatorsTenantsFileThroughAReadOnlyDirectoryMount() {
    List<String> servers = new ArrayList<>(nodes);
    servers.addAll(PROXIES);
    for (String service : servers) {
      Path tenantsFile =
          nodes.contains(service)
              ? NodeFlags.configFromEnv(compose.environment(service)).tenantsFile()
              : ProxyFlags.configFromEnv(
                      compose.environment(service), DeployFiles.compose().resolve("shards.json"))
                  .tenantsFile();
      assertThat(tenantsFile).as(service + " SHARDHOOK_TENANTS_FILE (keys on)").isNotNull();
      assertThat(compose.mounts(service))
          .as(service + " mounts the secrets directory where the tenants file is read")
          .filteredOn(m -> Path.of(m.target()).equals(tenantsFile.getParent()))
          .singleElement()
          .satisfies(
              m -> {
                // the directory, not the file: an atomic replace (rename) must reach the container
                assertThat(DeployFiles.compose().resolve(m.source()).normalize())
                    .isEqualTo(SECRETS);
                assertThat(m.readOnly()).as("read-only").isTrue();
                assertThat(m.createsHostPath())
                    .as("a missing directory fails `up` instead of becoming an empty one")
                    .isFalse();
              });
    }
  }

  @Test
  void operatorKeysInTheSecretsDirectoryAreNeverCommitted() {
    assertThat(SECRETS.resolve(".gitignore")).isRegularFile();
    assumeTrue(
        DeployFiles.onPath("git")
            && DeployFiles.run(DeployFiles.repoRoot(), List.of("git", "rev-parse", "--git-dir"), 30)
                    .exitCode()
                == 0,
        "git check-ignore of deploy/compose/secrets skipped: not a git checkout");
    for (String file : List.of("tenants.json", "prometheus.key", "tenants.json.tmp")) {
      DeployFiles.Run run =
          DeployFiles.run(
              DeployFiles.repoRoot(),
              List.of("git", "check-ignore", "--no-index", "-q", "deploy/compose/secrets/" + file),
              30);
      assertThat(run.exitCode()).as(file + " is git-ignored: " + run.output()).isZero();
    }
  }

  @Test
  void haproxyBalancesTheProxiesWithReadyChecksAndRetriesOnlyConnectionFailures() {
    HaproxyConfig cfg =
        new HaproxyConfig(DeployFiles.read(DeployFiles.compose().resolve("haproxy.cfg")));
    JsonNode haproxy = compose.service("haproxy");
    assertThat(compose.volumes("haproxy"))
        .containsEntry("./haproxy.cfg", "/usr/local/etc/haproxy/haproxy.cfg");
    assertThat(compose.dependsOn("haproxy")).containsExactlyInAnyOrderElementsOf(PROXIES);

    // the published port reaches the frontend, whose default backend is the proxies
    List<String> published = new ArrayList<>();
    haproxy.path("ports").forEach(p -> published.add(p.asText()));
    String entryFrontend =
        cfg.sections.keySet().stream()
            .filter(h -> h.startsWith("frontend "))
            .filter(h -> HaproxyConfig.starting(cfg.section(h), "default_backend").size() == 1)
            .findFirst()
            .orElseThrow();
    List<String> frontend = cfg.section(entryFrontend);
    String bindPort =
        HaproxyConfig.starting(frontend, "bind").get(0).replaceAll(".*:(\\d+).*", "$1");
    assertThat(published).as("ports of haproxy").anyMatch(p -> p.endsWith(":" + bindPort));
    String backendName = HaproxyConfig.starting(frontend, "default_backend").get(0).split(" ")[1];
    List<String> backend = cfg.section("backend " + backendName);

    assertThat(backend).contains("option httpchk GET /ready", "http-check expect status 200");
    Pattern server = Pattern.compile("server (\\S+) (\\S+):(\\d+)( .*)?");
    Map<String, Integer> servers = new TreeMap<>();
    for (String s : HaproxyConfig.starting(backend, "server")) {
      Matcher m = server.matcher(s);
      assertThat(m.matches()).as(s).isTrue();
      assertThat(m.group(4)).as(s + " is health-checked").contains(" check");
      servers.put(m.group(2), Integer.parseInt(m.group(3)));
    }
    Map<String, Integer> expected = new TreeMap<>();
    for (String p : PROXIES) {
      expected.put(p, Integer.parseInt(compose.environment(p).get("SHARDHOOK_HTTP_PORT")));
    }
    assertThat(servers).as("backend servers = the proxy services").isEqualTo(expected);

    List<String> defaults = cfg.section("defaults");
    List<String> effective = new ArrayList<>(defaults);
    effective.addAll(backend);
    assertThat(HaproxyConfig.starting(effective, "retries")).containsExactly("retries 3");
    assertThat(HaproxyConfig.starting(effective, "option redispatch")).hasSize(1);
    // Only conn-failure: a retried POST that already reached a proxy could create a second job.
    assertThat(cfg.everywhere("retry-on")).containsExactly("retry-on conn-failure");
    // Resolve at run time through Docker's DNS, so startup and `haproxy -c` survive a proxy that
    // does not resolve yet.
    assertThat(HaproxyConfig.starting(backend, "default-server").get(0))
        .contains("init-addr last,libc,none");
  }

  @Test
  void haproxyAcceptsTheConfig() {
    assumeTrue(
        DeployFiles.onPath("haproxy"),
        "haproxy -c check of the Compose HAProxy config skipped: haproxy is not installed (apt-get install haproxy)");
    DeployFiles.Run run =
        DeployFiles.run(DeployFiles.compose(), List.of("haproxy", "-c", "-f", "haproxy.cfg"), 60);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("Configuration file is valid");
  }

  @Test
  void prometheusScrapesEveryNodeAndProxy() {
    JsonNode prom = DeployFiles.readYamlTree(DeployFiles.compose().resolve("prometheus.yml"));
    assertThat(compose.volumes("prometheus"))
        .containsEntry("./prometheus.yml", "/etc/prometheus/prometheus.yml");
    Map<String, Set<String>> targetsByJob = new TreeMap<>();
    for (JsonNode job : prom.path("scrape_configs")) {
      String name = job.path("job_name").asText();
      assertThat(job.path("metrics_path").asText("/metrics")).as(name).isEqualTo("/metrics");
      Set<String> targets = new TreeSet<>();
      for (JsonNode sc : job.path("static_configs")) {
        sc.path("targets").forEach(t -> targets.add(t.asText()));
        if (name.equals("shardhook-node")) {
          // the shard label of a group agrees with the nodes' own shard id
          String label = sc.path("labels").path("shard").asText();
          sc.path("targets")
              .forEach(
                  t -> {
                    String service = t.asText().split(":")[0];
                    assertThat(NodeFlags.configFromEnv(compose.environment(service)).shardId())
                        .isEqualTo(label);
                  });
        }
      }
      targetsByJob.put(name, targets);
    }
    Set<String> expectedNodes = new TreeSet<>();
    for (String n : nodes) {
      expectedNodes.add(n + ":" + NodeFlags.configFromEnv(compose.environment(n)).httpPort());
    }
    Set<String> expectedProxies = new TreeSet<>();
    for (String p : PROXIES) {
      expectedProxies.add(p + ":" + compose.environment(p).get("SHARDHOOK_HTTP_PORT"));
    }
    assertThat(targetsByJob.get("shardhook-node")).isEqualTo(expectedNodes);
    assertThat(targetsByJob.get("shardhook-proxy")).isEqualTo(expectedProxies);

    // GET /metrics needs a key: each Shardhook job sends one, read from the mounted key file.
    for (JsonNode job : prom.path("scrape_configs")) {
      String name = job.path("job_name").asText();
      if (!name.startsWith("shardhook-")) {
        continue;
      }
      JsonNode auth = job.path("authorization");
      assertThat(auth.path("type").asText("Bearer")).as(name).isEqualTo("Bearer");
      assertThat(auth.has("credentials")).as(name + ": no key inline in the config").isFalse();
      String keyFile = auth.path("credentials_file").asText();
      assertThat(compose.mounts("prometheus"))
          .as(name + " credentials_file is mounted")
          .filteredOn(m -> m.target().equals(keyFile))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(DeployFiles.compose().resolve(m.source()).normalize().getParent())
                    .isEqualTo(SECRETS);
                assertThat(m.readOnly()).isTrue();
                assertThat(m.createsHostPath()).isFalse();
              });
    }
  }

  @Test
  void promtoolAcceptsThePrometheusConfig() {
    assumeTrue(
        DeployFiles.onPath("promtool"),
        "promtool check of the Compose Prometheus config skipped: promtool is not installed (apt-get install prometheus)");
    DeployFiles.Run run =
        // --syntax-only: the key file exists inside the container only (full checks stat it).
        DeployFiles.run(
            DeployFiles.compose(),
            List.of("promtool", "check", "config", "--syntax-only", "prometheus.yml"),
            60);
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void bindMountedFilesExist() {
    for (String service : compose.serviceNames()) {
      for (String source : compose.volumes(service).keySet()) {
        Path path = DeployFiles.compose().resolve(source).normalize();
        if (path.startsWith(SECRETS)) {
          // the operator creates what is in there (see the tests above); the directory is in git
          assertThat(SECRETS).isDirectory();
        } else if (source.startsWith(".") || source.startsWith("/")) {
          assertThat(path).as(service + " mounts " + source).isRegularFile();
        }
      }
    }
  }

  private static Set<Integer> expose(String service) {
    Set<Integer> out = new HashSet<>();
    compose.service(service).path("expose").forEach(p -> out.add(Integer.parseInt(p.asText())));
    return out;
  }

  private static void assertBuild(String service, String dockerfile) {
    JsonNode build = compose.service(service).path("build");
    Path context = DeployFiles.compose().resolve(build.path("context").asText()).normalize();
    assertThat(context)
        .as(service + " build context = the repository root")
        .isEqualTo(DeployFiles.repoRoot());
    assertThat(build.path("dockerfile").asText()).isEqualTo(dockerfile);
    assertThat(context.resolve(dockerfile)).isRegularFile();
  }
}
