package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.ShardNode;
import dev.shardhook.node.testing.FreePorts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe paths in the StatefulSet are what a real node serves: a single-member shard elects
 * itself and answers 200 on the readiness and liveness paths; a member whose group has no quorum
 * still answers 200 on the liveness path but 503 on the readiness path (so losing a quorum takes
 * nodes out of Service endpoints without making the kubelet restart them).
 */
class NodeProbePathsTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static String readinessPath;
  static String livenessPath;
  static String startupPath;

  @BeforeAll
  static void probePathsFromTheManifest() {
    StatefulSet sts =
        K8sManifests.ofType(
                Kustomize.render(DeployFiles.k8s().resolve(KubernetesManifestsTest.OVERLAY)),
                StatefulSet.class)
            .get(0);
    Container c = KubernetesManifestsTest.container(sts.getSpec().getTemplate().getSpec(), "node");
    readinessPath = c.getReadinessProbe().getHttpGet().getPath();
    livenessPath = c.getLivenessProbe().getHttpGet().getPath();
    startupPath =
        c.getStartupProbe() == null ? livenessPath : c.getStartupProbe().getHttpGet().getPath();
  }

  @Test
  void singleMemberShardAnswers200OnTheManifestsProbePaths(@TempDir Path data) throws Exception {
    int[] raft = FreePorts.take(1);
    try (ShardNode node = startNodeA(data, "a=127.0.0.1:" + raft[0])) {
      await("leader").atMost(Duration.ofSeconds(60)).until(() -> node.status().leaderReady());
      for (String path : List.of(readinessPath, livenessPath, startupPath)) {
        assertThat(get(node.httpPort(), path)).as("GET " + path).isEqualTo(200);
      }
      // keys are on: elsewhere a request without a key is refused, and Prometheus' key works
      assertThat(get(node.httpPort(), "/metrics")).as("GET /metrics without a key").isEqualTo(401);
      assertThat(get(node.httpPort(), "/metrics", MonitoringKey.KEY))
          .as("with a key")
          .isEqualTo(200);
    }
  }

  @Test
  void memberWithoutQuorumIsAliveButNotReady(@TempDir Path data) throws Exception {
    int[] raft = FreePorts.take(3);
    String peers = "a=127.0.0.1:" + raft[0] + ",b=127.0.0.1:" + raft[1] + ",c=127.0.0.1:" + raft[2];
    try (ShardNode node = startNodeA(data, peers)) {
      assertThat(get(node.httpPort(), livenessPath)).as("GET " + livenessPath).isEqualTo(200);
      assertThat(get(node.httpPort(), readinessPath)).as("GET " + readinessPath).isEqualTo(503);
    }
  }

  /**
   * Node {@code a} of a shard with these peers, on a free HTTP port, with API keys on: probes (like
   * HAProxy's and the proxies' checks) carry no key.
   */
  private static ShardNode startNodeA(Path data, String peers) throws IOException {
    Path tenants = MonitoringKey.writeTenantsFile(data);
    return ShardNode.start(
        NodeConfig.builder()
            .tenantsFile(tenants)
            .nodeId("a")
            .peers(peers)
            .httpHost("127.0.0.1")
            .httpPort(0)
            .dataDir(data)
            .shutdownGrace(Duration.ofSeconds(1))
            .build());
  }

  private static int get(int port, String path) throws IOException, InterruptedException {
    return get(port, path, null);
  }

  static int get(int port, String path, String key) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
