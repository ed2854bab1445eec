package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.ShardNode;
import dev.shardhook.node.testing.FreePorts;
import dev.shardhook.proxy.ProxyConfig;
import dev.shardhook.proxy.ProxyServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With API keys on, everything that checks a proxy without a key still gets its answer: HAProxy's
 * {@code option httpchk} path (Compose) and the Deployment's probe paths (Kubernetes) answer 200
 * once the proxy sees its shard's leader, which it learns by polling the node's status without a
 * key. Prometheus' {@code read} key opens {@code /metrics}; no key does not.
 */
class ProxyProbePathsTest {

  @Test
  void proxyWithKeysOnAnswersTheCheckPathsWithoutAKeyAndMetricsWithOne(@TempDir Path dir)
      throws Exception {
    List<String> paths = new ArrayList<>(manifestProbePaths());
    paths.add(haproxyCheckPath());
    Path data = Files.createDirectories(dir.resolve("node"));
    Path tenants = MonitoringKey.writeTenantsFile(dir);
    int[] raft = FreePorts.take(1);
    try (ShardNode node =
            ShardNode.start(
                NodeConfig.builder()
                    .tenantsFile(tenants)
                    .nodeId("a")
                    .peers("a=127.0.0.1:" + raft[0])
                    .httpHost("127.0.0.1")
                    .httpPort(0)
                    .dataDir(data)
                    .shutdownGrace(Duration.ofSeconds(1))
                    .build());
        ProxyServer proxy =
            ProxyServer.start(
                ProxyConfig.builder()
                    .tenantsFile(tenants)
                    .httpHost("127.0.0.1")
                    .httpPort(0)
                    .shardMap(
                        ShardMap.of(
                            List.of(
                                new ShardMap.Shard(
                                    node.status().shardId(),
                                    List.of(URI.create("http://127.0.0.1:" + node.httpPort())))),
                            null))
                    .statusInterval(Duration.ofMillis(200))
                    .build())) {
      int port = proxy.port();
      await("the proxy is ready, polling the node without a key")
          .atMost(Duration.ofSeconds(60))
          .until(() -> NodeProbePathsTest.get(port, "/ready", null) == 200);
      for (String path : paths) {
        assertThat(NodeProbePathsTest.get(port, path, null)).as("GET " + path).isEqualTo(200);
      }
      assertThat(NodeProbePathsTest.get(port, "/metrics", null))
          .as("GET /metrics without a key")
          .isEqualTo(401);
      assertThat(NodeProbePathsTest.get(port, "/metrics", MonitoringKey.KEY))
          .as("GET /metrics with Prometheus' key")
          .isEqualTo(200);
    }
  }

  private static List<String> manifestProbePaths() {
    Deployment d =
        K8sManifests.one(
            Kustomize.render(DeployFiles.k8s().resolve(KubernetesManifestsTest.OVERLAY)),
            Deployment.class,
            "proxy");
    Container c = KubernetesManifestsTest.container(d.getSpec().getTemplate().getSpec(), "proxy");
    return List.of(
        c.getReadinessProbe().getHttpGet().getPath(), c.getLivenessProbe().getHttpGet().getPath());
  }

  /** The path of {@code option httpchk GET <path>} in the Compose HAProxy config. */
  private static String haproxyCheckPath() {
    List<String> checks =
        new HaproxyConfig(DeployFiles.read(DeployFiles.compose().resolve("haproxy.cfg")))
            .everywhere("option httpchk");
    assertThat(checks).hasSize(1);
    String[] words = checks.get(0).split(" ");
    assertThat(words).hasSize(4);
    return words[3];
  }
}
