package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.ShardNode;
import dev.shardhook.node.routing.ShardOwnership;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s: every manifest typed and free of unknown fields, and the rendered
 * overlays/three-shards cross-checked against what the node and the proxy actually read and serve.
 */
class KubernetesManifestsTest {
  static final String OVERLAY = "overlays/three-shards";
  static final String SHARD_LABEL = "shardhook.dev/shard";
  static final int HTTP_PORT = NodeConfig.DEFAULT_HTTP_PORT; // 8080, what the node listens on
  static final int RAFT_PORT = 9200;
  static final int PROXY_HTTP_PORT = 8080; // the proxy's --http-port default

  /** The Secret the operator creates with the tenants file (deploy/README.md, "API keys"). */
  static final String TENANTS_SECRET = "shardhook-tenants";

  static List<HasMetadata> rendered;
  static String namespace;

  @BeforeAll
  static void render() {
    rendered = Kustomize.render(DeployFiles.k8s().resolve(OVERLAY));
    namespace =
        DeployFiles.readYamlTree(DeployFiles.k8s().resolve(OVERLAY).resolve("kustomization.yaml"))
            .path("namespace")
            .asText();
  }

  @Test
  void everyManifestParsesIntoKnownTypesWithoutUnknownFields() {
    List<Path> manifests =
        DeployFiles.filesUnder(DeployFiles.k8s(), ".yaml").stream()
            .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
            .toList();
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(8);
    List<String> problems = new ArrayList<>();
    for (Path file : manifests) {
      List<HasMetadata> docs = K8sManifests.parse(file);
      assertThat(docs).as(file + " documents").isNotEmpty();
      for (HasMetadata r : docs) {
        assertThat(r)
            .as(file.toString())
            .isInstanceOfAny(
                StatefulSet.class,
                Service.class,
                PodDisruptionBudget.class,
                Deployment.class,
                HorizontalPodAutoscaler.class,
                Namespace.class);
        problems.addAll(
            K8sManifests.unknownFields(
                r, DeployFiles.k8s().relativize(file) + ":" + K8sManifests.id(r)));
      }
    }
    // the rendered objects too (generated ConfigMap, transformed labels)
    for (HasMetadata r : rendered) {
      problems.addAll(K8sManifests.unknownFields(r, "rendered:" + K8sManifests.id(r)));
    }
    assertThat(problems).as("fields fabric8 kept as additionalProperties").isEmpty();
  }

  @Test
  void kustomizationsListExistingFilesAndEveryManifestIsUsed() {
    Set<Path> listed = new HashSet<>();
    for (Path k : DeployFiles.filesUnder(DeployFiles.k8s(), "kustomization.yaml")) {
      JsonNode tree = DeployFiles.readYamlTree(k);
      assertThat(tree.path("apiVersion").asText())
          .as(k.toString())
          .isEqualTo(Kustomize.API_VERSION);
      assertThat(tree.path("kind").asText()).as(k.toString()).isEqualTo("Kustomization");
      for (JsonNode r : tree.path("resources")) {
        Path p = k.getParent().resolve(r.asText()).normalize();
        assertThat(p).as(k + " lists " + r.asText()).exists();
        listed.add(Files.isDirectory(p) ? p.resolve("kustomization.yaml") : p);
      }
      for (JsonNode g : tree.path("configMapGenerator")) {
        for (JsonNode f : g.path("files")) {
          Path p = k.getParent().resolve(f.asText()).normalize();
          assertThat(p).as(k + " generates from " + f.asText()).isRegularFile();
          listed.add(p);
        }
      }
    }
    List<Path> unused =
        DeployFiles.filesUnder(DeployFiles.k8s(), "").stream()
            .filter(p -> !listed.contains(p))
            .filter(
                p -> !p.equals(DeployFiles.k8s().resolve(OVERLAY).resolve("kustomization.yaml")))
            .toList();
    assertThat(unused).as("files no kustomization uses").isEmpty();
  }

  @Test
  void overlayRendersThreeShardsAndTheProxies() {
    List<String> ids = new ArrayList<>();
    for (HasMetadata r : rendered) {
      String name =
          r instanceof ConfigMap
              ? Kustomize.withoutHash(r.getMetadata().getName())
              : r.getMetadata().getName();
      ids.add(r.getKind() + "/" + name);
      if (!(r instanceof Namespace)) {
        assertThat(r.getMetadata().getNamespace()).as(K8sManifests.id(r)).isEqualTo("shardhook");
      }
    }
    List<String> expected =
        new ArrayList<>(
            List.of(
                "Namespace/shardhook",
                "ConfigMap/shard-map",
                "Deployment/proxy",
                "Service/proxy",
                "HorizontalPodAutoscaler/proxy",
                "PodDisruptionBudget/proxy"));
    for (int s = 0; s < 3; s++) {
      expected.add("StatefulSet/node-shard-" + s);
      expected.add("Service/node-shard-" + s);
      expected.add("PodDisruptionBudget/node-shard-" + s);
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void eachShardIsAParallelThreeMemberStatefulSetBehindAHeadlessService() {
    List<StatefulSet> sets = K8sManifests.ofType(rendered, StatefulSet.class);
    assertThat(sets).hasSize(3);
    for (StatefulSet sts : sets) {
      String name = sts.getMetadata().getName();
      var spec = sts.getSpec();
      assertThat(spec.getReplicas()).as(name + " replicas").isEqualTo(3);
      assertThat(spec.getPodManagementPolicy()).as(name).isEqualTo("Parallel");
      Map<String, String> podLabels = spec.getTemplate().getMetadata().getLabels();
      assertThat(spec.getSelector().getMatchExpressions()).isEmpty();
      assertThat(K8sManifests.selects(spec.getSelector().getMatchLabels(), podLabels))
          .as(name)
          .isTrue();
      assertThat(podLabels).as(name).containsEntry(SHARD_LABEL, name.substring("node-".length()));

      Service svc = K8sManifests.one(rendered, Service.class, spec.getServiceName());
      assertThat(svc.getSpec().getClusterIP()).as(svc.getMetadata().getName()).isEqualTo("None");
      assertThat(svc.getSpec().getPublishNotReadyAddresses())
          .as("publishNotReadyAddresses")
          .isTrue();
      assertSelectsOnly(svc.getSpec().getSelector(), sts, sets);

      Container c = container(spec.getTemplate().getSpec(), "node");
      assertThat(portNumber(c, "http")).isEqualTo(HTTP_PORT);
      assertThat(portNumber(c, "raft")).isEqualTo(RAFT_PORT);
      // Headless: clients reach the pod IP directly, so Service port = container port.
      for (ServicePort p : svc.getSpec().getPorts()) {
        assertThat(resolve(p.getTargetPort(), c))
            .as(svc.getMetadata().getName() + " " + p.getName())
            .isEqualTo(p.getPort());
      }
      assertThat(svc.getSpec().getPorts())
          .extracting(ServicePort::getPort)
          .containsExactlyInAnyOrder(HTTP_PORT, RAFT_PORT);

      // data on the PVC template, mounted where the node keeps it
      NodeConfig config = NodeFlags.configFromEnv(podEnv(sts, 0));
      assertThat(spec.getVolumeClaimTemplates()).hasSize(1);
      String claim = spec.getVolumeClaimTemplates().get(0).getMetadata().getName();
      assertThat(c.getVolumeMounts())
          .as(name + " data mount")
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo(claim);
                assertThat(Path.of(m.getMountPath())).isEqualTo(config.dataDir());
              });
      PodSpec pod = spec.getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getFsGroup())
          .as("fsGroup makes the PVC writable")
          .isNotNull();
      if (Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())) {
        assertThat(c.getVolumeMounts())
            .extracting(VolumeMount::getMountPath)
            .as("RocksDB unpacks its library in /tmp")
            .contains("/tmp");
      }
    }
  }

  @Test
  void nodeEnvGivesEachReplicaItsIdAndThePeersStableDnsNames() {
    Set<String> known = NodeFlags.environmentVariables();
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      String name = sts.getMetadata().getName();
      String svc = sts.getSpec().getServiceName();
      String shard = sts.getSpec().getTemplate().getMetadata().getLabels().get(SHARD_LABEL);
      Container c = container(sts.getSpec().getTemplate().getSpec(), "node");
      assertThat(c.getEnv())
          .extracting(e -> e.getName())
          .filteredOn(n -> n.startsWith(NodeFlags.PREFIX))
          .as("SHARDHOOK_* variables the node reads")
          .allMatch(known::contains);
      int replicas = sts.getSpec().getReplicas();
      for (int i = 0; i < replicas; i++) {
        Map<String, String> env = podEnv(sts, i);
        String domain = env.getOrDefault("CLUSTER_DOMAIN", "cluster.local");
        NodeConfig config = NodeFlags.configFromEnv(env);
        String pod = name + "-" + i;
        assertThat(config.nodeId()).as(pod + " node id").isEqualTo(pod);
        assertThat(config.shardId()).as(pod + " shard id").isEqualTo(shard);
        assertThat(config.httpPort()).isEqualTo(portNumber(c, "http"));
        List<NodeConfig.Peer> expected =
            IntStream.range(0, replicas)
                .mapToObj(
                    j ->
                        new NodeConfig.Peer(
                            name + "-" + j,
                            name + "-" + j + "." + svc + "." + namespace + ".svc." + domain,
                            portNumber(c, "raft")))
                .toList();
        assertThat(config.peers()).as(pod + " peers").containsExactlyElementsOf(expected);
        assertThat(config.self().host())
            .as("the pod's own FQDN (in its /etc/hosts)")
            .startsWith(pod + "." + svc + ".");
      }
    }
  }

  @Test
  void nodeProbesHitHealthAndReadyOnTheHttpPort() {
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      Container c = container(sts.getSpec().getTemplate().getSpec(), "node");
      assertProbe(c.getReadinessProbe(), "/ready", c, HTTP_PORT);
      assertProbe(c.getLivenessProbe(), "/health", c, HTTP_PORT);
      if (c.getStartupProbe() != null) {
        assertProbe(c.getStartupProbe(), "/health", c, HTTP_PORT);
      }
      assertThat(sts.getSpec().getTemplate().getSpec().getEnableServiceLinks())
          .as("no injected <SERVICE>_PORT variables next to SHARDHOOK_*")
          .isFalse();
    }
  }

  @Test
  void terminationGraceOutlastsTheNodeShutdownGrace() {
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      NodeConfig config = NodeFlags.configFromEnv(podEnv(sts, 0));
      long termination = sts.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
      // leadership transfer, in-flight attempts and their outcomes within the grace, then closing
      // Raft and RocksDB (ShardNode's own bound), and a margin for the JVM to exit
      assertThat(Duration.ofSeconds(termination))
          .as(sts.getMetadata().getName() + " terminationGracePeriodSeconds")
          .isGreaterThanOrEqualTo(ShardNode.worstCaseShutdown(config).plusSeconds(5))
          .isGreaterThan(config.shutdownGrace());
    }
  }

  @Test
  void disruptionBudgetsLetOneMemberGoAtATime() {
    List<StatefulSet> sets = K8sManifests.ofType(rendered, StatefulSet.class);
    for (StatefulSet sts : sets) {
      PodDisruptionBudget pdb =
          K8sManifests.one(rendered, PodDisruptionBudget.class, sts.getMetadata().getName());
      assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
      assertThat(pdb.getSpec().getMinAvailable()).isNull();
      assertThat(pdb.getSpec().getSelector().getMatchExpressions()).isEmpty();
      assertSelectsOnly(pdb.getSpec().getSelector().getMatchLabels(), sts, sets);
    }
    Deployment proxy = proxyDeployment();
    PodDisruptionBudget pdb = K8sManifests.one(rendered, PodDisruptionBudget.class, "proxy");
    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(
            K8sManifests.selects(
                pdb.getSpec().getSelector().getMatchLabels(),
                proxy.getSpec().getTemplate().getMetadata().getLabels()))
        .isTrue();
  }

  @Test
  void proxyDeploymentReadsTheGeneratedShardMapAndProbesReadyAndHealth(@TempDir Path dir)
      throws Exception {
    Deployment d = proxyDeployment();
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = container(pod, "proxy");
    assertThat(d.getSpec().getReplicas())
        .as("unset (the HPA owns it) or at least 2")
        .satisfiesAnyOf(r -> assertThat(r).isNull(), r -> assertThat(r).isGreaterThanOrEqualTo(2));
    assertThat(
            K8sManifests.selects(
                d.getSpec().getSelector().getMatchLabels(),
                d.getSpec().getTemplate().getMetadata().getLabels()))
        .isTrue();
    assertThat(portNumber(c, "http")).isEqualTo(PROXY_HTTP_PORT);
    assertProbe(c.getReadinessProbe(), "/ready", c, PROXY_HTTP_PORT);
    assertProbe(c.getLivenessProbe(), "/health", c, PROXY_HTTP_PORT);
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(5L);

    Map<String, String> env = new TreeMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    assertThat(env.keySet())
        .as("variables the proxy reads")
        .allMatch(ProxyFlags.environmentVariables()::contains);
    assertThat(env.get("SHARDHOOK_HTTP_PORT")).isEqualTo(String.valueOf(PROXY_HTTP_PORT));

    // SHARDHOOK_SHARD_MAP = <mount path>/<key of the generated ConfigMap>
    ConfigMap map = shardMapConfigMap();
    Path mapFile = Path.of(env.get("SHARDHOOK_SHARD_MAP"));
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> Path.of(m.getMountPath()).equals(mapFile.getParent()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + mapFile.getParent()));
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getConfigMap()).as("volume " + volume.getName()).isNotNull();
    assertThat(volume.getConfigMap().getName()).isEqualTo(map.getMetadata().getName());
    assertThat(map.getData()).containsKey(mapFile.getFileName().toString());
    // the proxy's own parser, with the ConfigMap's file where the mount would put it
    Path copy = Files.writeString(dir.resolve("shards.json"), map.getData().get("shards.json"));
    assertThat(ProxyFlags.configFromEnv(env, copy).httpPort()).isEqualTo(PROXY_HTTP_PORT);

    assertThat(c.getResources().getRequests())
        .as("HPA CPU utilization needs a CPU request")
        .containsKey("cpu");
  }

  @Test
  void nodesReadTheProxiesGeneratedShardMapAndFindTheirShardInIt(@TempDir Path dir)
      throws Exception {
    ConfigMap map = shardMapConfigMap();
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      PodSpec pod = sts.getSpec().getTemplate().getSpec();
      Container c = container(pod, "node");
      NodeConfig config = NodeFlags.configFromEnv(podEnv(sts, 0));
      String name = sts.getMetadata().getName();
      Path mapFile = config.shardMap().orElseThrow(() -> new AssertionError(name + ": no map"));
      VolumeMount mount =
          c.getVolumeMounts().stream()
              .filter(m -> Path.of(m.getMountPath()).equals(mapFile.getParent()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + ": nothing at " + mapFile.getParent()));
      assertThat(mount.getReadOnly()).isTrue();
      Volume volume =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(volume.getConfigMap()).as(name + " volume " + volume.getName()).isNotNull();
      assertThat(volume.getConfigMap().getName()).isEqualTo(map.getMetadata().getName());
      String json = map.getData().get(mapFile.getFileName().toString());
      assertThat(json).as("key " + mapFile.getFileName() + " of the ConfigMap").isNotNull();
      // The node's own reader, as at start-up: its shard must be in the map.
      Path copy = Files.writeString(dir.resolve(name + ".json"), json);
      assertThat(ShardOwnership.read(copy, config.shardId()).shardId()).isEqualTo(config.shardId());
    }
  }

  @Test
  void nodesAndProxiesReadTheTenantsSecretThroughADirectoryMount(@TempDir Path dir)
      throws Exception {
    Map<String, PodSpec> pods = new TreeMap<>();
    Map<String, Path> tenantsFiles = new TreeMap<>();
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      pods.put(sts.getMetadata().getName(), sts.getSpec().getTemplate().getSpec());
      tenantsFiles.put(
          sts.getMetadata().getName(), NodeFlags.configFromEnv(podEnv(sts, 0)).tenantsFile());
    }
    Deployment proxy = proxyDeployment();
    PodSpec proxyPod = proxy.getSpec().getTemplate().getSpec();
    pods.put("proxy", proxyPod);
    Map<String, String> proxyEnv = new TreeMap<>();
    container(proxyPod, "proxy").getEnv().forEach(e -> proxyEnv.put(e.getName(), e.getValue()));
    Path map =
        Files.writeString(
            dir.resolve("shards.json"), shardMapConfigMap().getData().get("shards.json"));
    tenantsFiles.put("proxy", ProxyFlags.configFromEnv(proxyEnv, map).tenantsFile());

    assertThat(pods).hasSize(4);
    pods.forEach(
        (name, pod) -> {
          Path file = tenantsFiles.get(name);
          assertThat(file).as(name + " SHARDHOOK_TENANTS_FILE (keys on)").isNotNull();
          Container c = container(pod, name.equals("proxy") ? "proxy" : "node");
          VolumeMount mount =
              c.getVolumeMounts().stream()
                  .filter(m -> Path.of(m.getMountPath()).equals(file.getParent()))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError(name + ": nothing at " + file.getParent()));
          assertThat(mount.getReadOnly()).as(name + " read-only").isTrue();
          // A subPath mount never sees the kubelet's symlink swap: an edited Secret would then
          // need a restart instead of reaching the file the server polls.
          assertThat(mount.getSubPath()).as(name + " subPath").isNullOrEmpty();
          assertThat(mount.getSubPathExpr()).as(name + " subPathExpr").isNullOrEmpty();
          Volume volume =
              pod.getVolumes().stream()
                  .filter(v -> v.getName().equals(mount.getName()))
                  .findFirst()
                  .orElseThrow();
          assertThat(volume.getSecret()).as(name + " volume " + volume.getName()).isNotNull();
          assertThat(volume.getSecret().getSecretName()).isEqualTo(TENANTS_SECRET);
          assertThat(volume.getSecret().getItems())
              .as("the whole Secret: its key is the file name")
              .isNullOrEmpty();
          assertThat(volume.getSecret().getOptional()).as("a pod waits for it").isNotEqualTo(true);
          assertThat(file.getFileName().toString()).isEqualTo("tenants.json");
          int mode = volume.getSecret().getDefaultMode();
          assertThat(mode & 0007).as(name + " defaultMode: not world-readable").isZero();
          assertThat(mode & 0040).as(name + " defaultMode: group-readable").isNotZero();
          assertThat(pod.getSecurityContext().getFsGroup())
              .as(name + " fsGroup: the group the kubelet gives the Secret's files")
              .isEqualTo(pod.getSecurityContext().getRunAsGroup());
        });
    assertThat(rendered)
        .as("the Secret holds key hashes and signing secrets: the operator creates it, not git")
        .noneMatch(r -> r.getKind().equals("Secret"));
  }

  @Test
  void hpaScalesTheProxyDeploymentOnCpu() {
    HorizontalPodAutoscaler hpa =
        K8sManifests.one(rendered, HorizontalPodAutoscaler.class, "proxy");
    assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
    var ref = hpa.getSpec().getScaleTargetRef();
    assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
    assertThat(ref.getKind()).isEqualTo("Deployment");
    assertThat(ref.getName()).isEqualTo(proxyDeployment().getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas())
        .isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());
    assertThat(hpa.getSpec().getMetrics())
        .anySatisfy(
            (MetricSpec m) -> {
              assertThat(m.getType()).isEqualTo("Resource");
              assertThat(m.getResource().getName()).isEqualTo("cpu");
              assertThat(m.getResource().getTarget().getType()).isEqualTo("Utilization");
              assertThat(m.getResource().getTarget().getAverageUtilization()).isBetween(1, 100);
            });
  }

  @Test
  void loadBalancerServiceSendsTrafficToReadyProxies() {
    Service svc = K8sManifests.one(rendered, Service.class, "proxy");
    Deployment d = proxyDeployment();
    Container c = container(d.getSpec().getTemplate().getSpec(), "proxy");
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    // kube-proxy's healthCheckNodePort then reports nodes with a Ready (= /ready) proxy pod
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(svc.getSpec().getPorts()).hasSize(1);
    assertThat(resolve(svc.getSpec().getPorts().get(0).getTargetPort(), c))
        .isEqualTo(PROXY_HTTP_PORT);
    Map<String, String> selector = svc.getSpec().getSelector();
    assertThat(K8sManifests.selects(selector, d.getSpec().getTemplate().getMetadata().getLabels()))
        .isTrue();
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      assertThat(
              K8sManifests.selects(selector, sts.getSpec().getTemplate().getMetadata().getLabels()))
          .as("LB selects no node pod")
          .isFalse();
    }
  }

  @Test
  void shardMapNamesEveryStatefulSetPodOnItsHttpPort() {
    ConfigMap map = shardMapConfigMap();
    ShardMap shards = ShardMap.parse("overlay shards.json", map.getData().get("shards.json"));
    Map<String, List<String>> expected = new TreeMap<>();
    for (StatefulSet sts : K8sManifests.ofType(rendered, StatefulSet.class)) {
      String name = sts.getMetadata().getName();
      String svc = sts.getSpec().getServiceName();
      int port = portNumber(container(sts.getSpec().getTemplate().getSpec(), "node"), "http");
      String shard = NodeFlags.configFromEnv(podEnv(sts, 0)).shardId();
      expected.put(
          shard,
          IntStream.range(0, sts.getSpec().getReplicas())
              .mapToObj(i -> "http://" + name + "-" + i + "." + svc + ":" + port)
              .toList());
    }
    // The proxy runs in the same namespace: <pod>.<service> resolves through its DNS search path.
    assertThat(new TreeMap<>(shards.shards())).isEqualTo(expected);
  }

  // ---------------------------------------------------------------------------------------------

  static PodEnv.Pod pod(StatefulSet sts, int ordinal) {
    return new PodEnv.Pod(
        sts.getMetadata().getName() + "-" + ordinal,
        sts.getMetadata().getNamespace() == null ? "default" : sts.getMetadata().getNamespace(),
        sts.getSpec().getTemplate().getMetadata().getLabels());
  }

  static Map<String, String> podEnv(StatefulSet sts, int ordinal) {
    return PodEnv.resolve(
        container(sts.getSpec().getTemplate().getSpec(), "node").getEnv(), pod(sts, ordinal));
  }

  private Deployment proxyDeployment() {
    return K8sManifests.one(rendered, Deployment.class, "proxy");
  }

  private ConfigMap shardMapConfigMap() {
    List<ConfigMap> maps =
        K8sManifests.ofType(rendered, ConfigMap.class).stream()
            .filter(m -> Kustomize.withoutHash(m.getMetadata().getName()).equals("shard-map"))
            .toList();
    assertThat(maps).hasSize(1);
    return maps.get(0);
  }

  static Container container(PodSpec pod, String name) {
    assertThat(pod.getContainers()).extracting(Container::getName).contains(name);
    return pod.getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static int portNumber(Container c, String name) {
    return c.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + name));
  }

  /** A probe's or Service's port (number, or a container port's name) as a number. */
  static int resolve(IntOrString port, Container c) {
    assertThat(port).as("port").isNotNull();
    return port.getIntVal() != null ? port.getIntVal() : portNumber(c, port.getStrVal());
  }

  static void assertProbe(Probe probe, String path, Container c, int port) {
    assertThat(probe).as(c.getName() + " probe for " + path).isNotNull();
    assertThat(probe.getHttpGet()).as("httpGet").isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(resolve(probe.getHttpGet().getPort(), c)).as(path + " port").isEqualTo(port);
    assertThat(probe.getHttpGet().getScheme()).isIn(null, "HTTP");
  }

  /** The selector picks this StatefulSet's pods and no other shard's. */
  private static void assertSelectsOnly(
      Map<String, String> selector, StatefulSet own, List<StatefulSet> all) {
    for (StatefulSet sts : all) {
      boolean selects =
          K8sManifests.selects(selector, sts.getSpec().getTemplate().getMetadata().getLabels());
      assertThat(selects)
          .as(selector + " selects pods of " + sts.getMetadata().getName())
          .isEqualTo(sts == own);
    }
  }
}
