package dev.shardhook.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment a container of a given pod gets, computed as the kubelet does: downward-API
 * {@code fieldRef}s from the pod's metadata, and {@code $(VAR)} expanded from the variables defined
 * earlier in the list ({@code $$(} stays a literal {@code $(}; an undefined reference is left as it
 * is).
 */
final class PodEnv {
  private static final Pattern LABEL = Pattern.compile("metadata\\.labels\\['([^']+)'\\]");
  private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  private PodEnv() {}

  /** The pod a StatefulSet or Deployment would create. */
  record Pod(String name, String namespace, Map<String, String> labels) {}

  static Map<String, String> resolve(List<EnvVar> env, Pod pod) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar v : env) {
      String value;
      if (v.getValueFrom() != null) {
        ObjectFieldSelector field = v.getValueFrom().getFieldRef();
        if (field == null) {
          throw new AssertionError(v.getName() + ": only fieldRef is modelled by this test");
        }
        value = field(field.getFieldPath(), pod, v.getName());
      } else {
        value = expand(v.getValue() == null ? "" : v.getValue(), out);
      }
      out.put(v.getName(), value);
    }
    return out;
  }

  private static String field(String path, Pod pod, String var) {
    switch (path) {
      case "metadata.name":
        return pod.name();
      case "metadata.namespace":
        return pod.namespace();
      default:
        Matcher m = LABEL.matcher(path);
        if (m.matches()) {
          String value = pod.labels().get(m.group(1));
          if (value == null) {
            throw new AssertionError(var + ": the pod has no label " + m.group(1));
          }
          return value;
        }
        throw new AssertionError(var + ": fieldRef " + path + " is not modelled by this test");
    }
  }

  static String expand(String value, Map<String, String> defined) {
    Matcher m = REF.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        String name = m.group(1);
        replacement = defined.containsKey(name) ? defined.get(name) : m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
