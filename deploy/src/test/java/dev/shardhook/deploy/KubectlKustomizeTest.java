package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Optional: where {@code kubectl} is installed, {@code kubectl kustomize} must render the overlay
 * exactly as {@link Kustomize} does (the generated ConfigMap's hash aside), so the other tests
 * check what a cluster would really receive.
 */
class KubectlKustomizeTest {

  @Test
  void kubectlRendersTheOverlayAsTheTestRendererDoes() {
    assumeTrue(
        DeployFiles.onPath("kubectl"),
        "kubectl kustomize check of the Kubernetes overlay skipped: kubectl is not installed (apt-get install kubernetes-client)");
    DeployFiles.Run run =
        DeployFiles.run(
            DeployFiles.moduleDir(),
            List.of("kubectl", "kustomize", "k8s/" + KubernetesManifestsTest.OVERLAY),
            120);
    assertThat(run.exitCode()).as(run.output()).isZero();

    List<HasMetadata> fromKubectl = K8sManifests.parse("kubectl kustomize", run.output());
    List<HasMetadata> ours =
        Kustomize.render(DeployFiles.k8s().resolve(KubernetesManifestsTest.OVERLAY));

    Map<String, JsonNode> expected = normalized(fromKubectl);
    Map<String, JsonNode> actual = normalized(ours);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((id, tree) -> assertThat(actual.get(id)).as(id).isEqualTo(tree));
  }

  /** Trees by kind/namespace/name, with the generated ConfigMap's hash suffix dropped. */
  private static Map<String, JsonNode> normalized(List<HasMetadata> resources) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (HasMetadata r : resources) {
      if (r instanceof ConfigMap cm) {
        cm.getMetadata().setName(Kustomize.withoutHash(cm.getMetadata().getName()));
      }
      PodTemplateSpec template =
          r instanceof Deployment d
              ? d.getSpec().getTemplate()
              : r instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
      if (template != null) {
        template.getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null)
            .forEach(
                v -> v.getConfigMap().setName(Kustomize.withoutHash(v.getConfigMap().getName())));
      }
      assertThat(out.put(K8sManifests.id(r), DeployFiles.JSON.valueToTree(r)))
          .as(K8sManifests.id(r))
          .isNull();
    }
    return out;
  }
}
