package dev.shardhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a kustomization the way {@code kustomize build} does, for exactly the features the
 * Shardhook manifests use: {@code resources} (files and directories), {@code nameSuffix}, {@code
 * labels} with {@code includeSelectors: true}, {@code namespace}, {@code images} and a {@code
 * configMapGenerator} from files, plus the name references those touch (StatefulSet serviceName,
 * HPA scaleTargetRef, configMap volumes; secret volumes name Secrets the operator creates and stay
 * as they are). Anything else fails loudly rather than render differently from kustomize. {@code
 * KubectlKustomizeTest} compares the result with {@code kubectl kustomize} when present.
 *
 * <p>The generated ConfigMap's hash suffix is not kustomize's: compare names with {@link
 * #withoutHash(String)}.
 */
final class Kustomize {
  static final String API_VERSION = "kustomize.config.k8s.io/v1beta1";
  private static final Set<String> SUPPORTED =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "namespace",
          "nameSuffix",
          "labels",
          "images",
          "configMapGenerator");

  private Kustomize() {}

  static List<HasMetadata> render(Path dir) {
    Path file = dir.resolve("kustomization.yaml");
    JsonNode k = DeployFiles.readYamlTree(file);
    require(k.isObject(), file, "not a mapping");
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      require(SUPPORTED.contains(key), file, "'" + key + "' is not supported by the test renderer");
    }
    require(API_VERSION.equals(k.path("apiVersion").asText()), file, "apiVersion");
    require("Kustomization".equals(k.path("kind").asText()), file, "kind");

    List<HasMetadata> out = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(render(p));
      } else {
        require(Files.isRegularFile(p), file, "resource " + r.asText() + " does not exist");
        out.addAll(K8sManifests.parse(p));
      }
    }

    // kind -> old name -> new name, for the references below
    Map<String, Map<String, String>> renames = new HashMap<>();
    for (JsonNode g : k.path("configMapGenerator")) {
      ConfigMap cm = generate(dir, file, g);
      String name = g.path("name").asText();
      renames
          .computeIfAbsent("ConfigMap", x -> new HashMap<>())
          .put(name, cm.getMetadata().getName());
      out.add(cm);
    }

    String suffix = k.path("nameSuffix").asText("");
    if (!suffix.isEmpty()) {
      require(!k.has("configMapGenerator"), file, "nameSuffix with a generator: unsupported");
      for (HasMetadata r : out) {
        require(!(r instanceof Namespace), file, "nameSuffix on a Namespace: unsupported");
        String old = r.getMetadata().getName();
        r.getMetadata().setName(old + suffix);
        renames.computeIfAbsent(r.getKind(), x -> new HashMap<>()).put(old, old + suffix);
      }
    }
    for (HasMetadata r : out) {
      updateReferences(r, renames);
    }

    for (JsonNode l : k.path("labels")) {
      for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        require(
            Set.of("pairs", "includeSelectors", "includeTemplates").contains(key),
            file,
            "labels." + key + " is not supported");
      }
      require(
          l.path("includeSelectors").asBoolean(false),
          file,
          "labels without includeSelectors: true are not supported by the test renderer");
      Map<String, String> pairs = new TreeMap<>();
      l.path("pairs").fields().forEachRemaining(e -> pairs.put(e.getKey(), e.getValue().asText()));
      for (HasMetadata r : out) {
        addSelectorLabels(r, pairs, file);
      }
    }

    for (JsonNode image : k.path("images")) {
      for (Iterator<String> it = image.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        require(
            Set.of("name", "newName", "newTag", "digest").contains(key),
            file,
            "images." + key + " is not supported");
      }
      for (HasMetadata r : out) {
        PodTemplateSpec t =
            r instanceof StatefulSet s
                ? s.getSpec().getTemplate()
                : r instanceof Deployment d ? d.getSpec().getTemplate() : null;
        if (t != null) {
          t.getSpec().getContainers().forEach(c -> c.setImage(retag(c.getImage(), image)));
          t.getSpec().getInitContainers().forEach(c -> c.setImage(retag(c.getImage(), image)));
        }
      }
    }

    if (k.has("namespace")) {
      String ns = k.path("namespace").asText();
      for (HasMetadata r : out) {
        if (r instanceof Namespace) {
          require(ns.equals(r.getMetadata().getName()), file, "a Namespace other than " + ns);
        } else {
          r.getMetadata().setNamespace(ns);
        }
      }
    }
    return out;
  }

  /**
   * A generated ConfigMap's name without its hash suffix ("shard-map-9d9dbg5dgb" -> "shard-map").
   */
  static String withoutHash(String name) {
    return name.replaceFirst("-[a-z0-9]{10}$", "");
  }

  /** kustomize's images transformer: name[:tag|@digest] with a matching name gets the new parts. */
  private static String retag(String image, JsonNode rule) {
    int at = image.indexOf('@');
    int colon = image.lastIndexOf(':');
    int nameEnd = at >= 0 ? at : colon > image.lastIndexOf('/') ? colon : image.length();
    String name = image.substring(0, nameEnd);
    if (!name.equals(rule.path("name").asText())) {
      return image;
    }
    String suffix = image.substring(nameEnd);
    if (rule.has("digest")) {
      suffix = "@" + rule.path("digest").asText();
    } else if (rule.has("newTag")) {
      suffix = ":" + rule.path("newTag").asText();
    }
    return rule.path("newName").asText(name) + suffix;
  }

  private static ConfigMap generate(Path dir, Path file, JsonNode g) {
    for (Iterator<String> it = g.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      require(
          Set.of("name", "files").contains(key),
          file,
          "configMapGenerator." + key + " unsupported");
    }
    Map<String, String> data = new LinkedHashMap<>();
    for (JsonNode f : g.path("files")) {
      String spec = f.asText();
      int eq = spec.indexOf('=');
      String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
      Path source = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1));
      require(Files.isRegularFile(source), file, "generator file " + source + " missing");
      data.put(key, DeployFiles.read(source));
    }
    String name = g.path("name").asText();
    require(!name.isEmpty(), file, "configMapGenerator without a name");
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name + "-" + hash(data))
        .endMetadata()
        .withData(data)
        .build();
  }

  private static String hash(Map<String, String> data) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(data)
          .forEach(
              (k, v) -> {
                md.update(k.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(v.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
              });
      return HexFormat.of().formatHex(md.digest()).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void updateReferences(HasMetadata r, Map<String, Map<String, String>> renames) {
    Map<String, String> services = renames.getOrDefault("Service", Map.of());
    Map<String, String> configMaps = renames.getOrDefault("ConfigMap", Map.of());
    if (r instanceof StatefulSet s) {
      s.getSpec()
          .setServiceName(
              services.getOrDefault(s.getSpec().getServiceName(), s.getSpec().getServiceName()));
      updatePodReferences(s.getSpec().getTemplate(), configMaps);
    } else if (r instanceof Deployment d) {
      updatePodReferences(d.getSpec().getTemplate(), configMaps);
    } else if (r instanceof HorizontalPodAutoscaler h) {
      CrossVersionObjectReference ref = h.getSpec().getScaleTargetRef();
      String renamed = renames.getOrDefault(ref.getKind(), Map.of()).get(ref.getName());
      if (renamed != null) {
        ref.setName(renamed);
      }
    }
  }

  private static void updatePodReferences(
      PodTemplateSpec template, Map<String, String> configMaps) {
    PodSpec spec = template.getSpec();
    for (Volume v : spec.getVolumes()) {
      if (v.getConfigMap() != null) {
        String name = v.getConfigMap().getName();
        v.getConfigMap().setName(configMaps.getOrDefault(name, name));
      }
      // Secret volumes keep their names: no kustomization here generates or lists a Secret
      // (the operator creates them), and kustomize renames only references to its own objects.
      if (v.getProjected() != null) {
        throw new AssertionError("projected volumes: not supported by the test renderer");
      }
    }
    spec.getContainers()
        .forEach(
            c -> {
              if (!c.getEnvFrom().isEmpty()) {
                throw new AssertionError("envFrom: not supported by the test renderer");
              }
              c.getEnv().stream()
                  .filter(e -> e.getValueFrom() != null)
                  .forEach(
                      e -> {
                        if (e.getValueFrom().getConfigMapKeyRef() != null
                            || e.getValueFrom().getSecretKeyRef() != null) {
                          throw new AssertionError(
                              "env from ConfigMap/Secret keys: not supported by the test renderer");
                        }
                      });
            });
  }

  /** kustomize's commonLabels field specs, for the kinds used here. */
  private static void addSelectorLabels(HasMetadata r, Map<String, String> pairs, Path file) {
    addTo(r.getMetadata(), pairs);
    if (r instanceof Service s) {
      Map<String, String> selector =
          s.getSpec().getSelector() == null
              ? new LinkedHashMap<>()
              : new LinkedHashMap<>(s.getSpec().getSelector());
      selector.putAll(pairs);
      s.getSpec().setSelector(selector);
    } else if (r instanceof StatefulSet s) {
      addTo(s.getSpec().getSelector(), pairs);
      addToPod(s.getSpec().getTemplate(), pairs, file);
      for (PersistentVolumeClaim pvc : s.getSpec().getVolumeClaimTemplates()) {
        addTo(pvc.getMetadata(), pairs);
      }
    } else if (r instanceof Deployment d) {
      addTo(d.getSpec().getSelector(), pairs);
      addToPod(d.getSpec().getTemplate(), pairs, file);
    } else if (r instanceof PodDisruptionBudget p) {
      addTo(p.getSpec().getSelector(), pairs);
    } else if (!(r instanceof ConfigMap
        || r instanceof Namespace
        || r instanceof HorizontalPodAutoscaler)) {
      throw new AssertionError(file + ": labels on " + r.getKind() + ": not supported");
    }
  }

  private static void addToPod(PodTemplateSpec t, Map<String, String> pairs, Path file) {
    addTo(t.getMetadata(), pairs);
    require(t.getSpec().getAffinity() == null, file, "affinity: not supported by the renderer");
    for (TopologySpreadConstraint c : t.getSpec().getTopologySpreadConstraints()) {
      addTo(c.getLabelSelector(), pairs);
    }
  }

  private static void addTo(ObjectMeta meta, Map<String, String> pairs) {
    Map<String, String> labels =
        meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
    labels.putAll(pairs);
    meta.setLabels(labels);
  }

  private static void addTo(LabelSelector selector, Map<String, String> pairs) {
    if (selector == null) {
      return;
    }
    Map<String, String> labels =
        selector.getMatchLabels() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(selector.getMatchLabels());
    labels.putAll(pairs);
    selector.setMatchLabels(labels);
  }

  private static void require(boolean ok, Path file, String what) {
    if (!ok) {
      throw new AssertionError(file + ": " + what);
    }
  }
}
