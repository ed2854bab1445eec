package dev.shardhook.deploy;

import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads Kubernetes manifests into fabric8's typed model (kubernetes-model, no client) and finds
 * what the model silently tolerates: an unknown apiVersion/kind becomes a {@link
 * GenericKubernetesResource}, and a misspelt field lands in {@code additionalProperties}.
 */
final class K8sManifests {
  private K8sManifests() {}

  /** Every document of a manifest file, typed; fails on untyped or non-object documents. */
  static List<HasMetadata> parse(Path file) {
    return parse(file.toString(), DeployFiles.read(file));
  }

  static List<HasMetadata> parse(String source, String yaml) {
    List<KubernetesResource> docs;
    try (MappingIterator<KubernetesResource> it =
        DeployFiles.YAML.readerFor(KubernetesResource.class).readValues(yaml)) {
      docs = it.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
    List<HasMetadata> out = new ArrayList<>();
    for (KubernetesResource doc : docs) {
      if (doc == null) {
        continue; // an empty document ("---" and comments)
      }
      if (doc instanceof GenericKubernetesResource g) {
        throw new AssertionError(
            source
                + ": "
                + g.getApiVersion()
                + "/"
                + g.getKind()
                + " is not a known Kubernetes type (typo in apiVersion or kind?)");
      }
      if (!(doc instanceof HasMetadata resource)) {
        throw new AssertionError(source + ": " + doc.getClass().getName() + " has no metadata");
      }
      out.add(resource);
    }
    return out;
  }

  /**
   * Paths of every non-empty {@code additionalProperties} map in the object graph: fields the typed
   * model does not know, i.e. typos such as {@code spec.replica}.
   */
  static List<String> unknownFields(Object root, String rootPath) {
    List<String> problems = new ArrayList<>();
    walk(root, rootPath, problems, 0);
    return problems;
  }

  private static void walk(Object o, String path, List<String> problems, int depth) {
    if (o == null || depth > 40) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        walk(e, path + "[" + i++ + "]", problems, depth + 1);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        walk(e.getValue(), path + "." + e.getKey(), problems, depth + 1);
      }
      return;
    }
    Class<?> cls = o.getClass();
    if (!cls.getName().startsWith("io.fabric8.") || cls.isEnum()) {
      return;
    }
    for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        Object value;
        try {
          value = f.get(o);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (f.getName().equals("additionalProperties")) {
          if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
            problems.add(path + ": unknown field(s) " + extra.keySet());
          }
        } else {
          walk(value, path + "." + f.getName(), problems, depth + 1);
        }
      }
    }
  }

  /** "Kind/name" (with namespace when set), for messages and comparisons. */
  static String id(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return r.getKind() + "/" + (ns == null ? "" : ns + "/") + r.getMetadata().getName();
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> all, Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type, String name) {
    List<T> found =
        ofType(all, type).stream()
            .filter(r -> Objects.equals(r.getMetadata().getName(), name))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " named " + name + ", found " + found.size());
    }
    return found.get(0);
  }

  /** Whether a label selector (matchLabels only) selects a pod with these labels. */
  static boolean selects(Map<String, String> selector, Map<String, String> podLabels) {
    return selector != null
        && !selector.isEmpty()
        && podLabels != null
        && podLabels.entrySet().containsAll(selector.entrySet());
  }
}
