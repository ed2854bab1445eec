package dev.shardhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * compose.yaml as Compose sees it, without a Docker engine: YAML merge keys resolved, and {@code
 * ${VAR:-default}} interpolated with an empty shell environment (the defaults).
 */
final class ComposeFile {
  private static final Pattern VAR =
      Pattern.compile(
          "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  final Path file;
  final JsonNode root;

  ComposeFile(Path file) {
    this.file = file;
    this.root = DeployFiles.loadYamlResolvingMerges(file);
  }

  JsonNode services() {
    return root.path("services");
  }

  JsonNode service(String name) {
    JsonNode s = services().path(name);
    if (s.isMissingNode()) {
      throw new AssertionError(file + ": no service " + name);
    }
    return s;
  }

  List<String> serviceNames() {
    List<String> out = new ArrayList<>();
    services().fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** A service's environment (map or KEY=VALUE list form), interpolated. */
  Map<String, String> environment(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().isNull() ? "" : interpolate(e.getValue().asText()));
      }
    } else {
      for (JsonNode line : env) {
        String s = line.asText();
        int eq = s.indexOf('=');
        out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : interpolate(s.substring(eq + 1)));
      }
    }
    return out;
  }

  /** One entry of a service's {@code volumes}, in short or long syntax. */
  record Mount(String source, String target, boolean readOnly, boolean createsHostPath) {}

  /**
   * A service's volumes: short syntax ("source:target[:mode]", which creates a missing host path as
   * a directory) and long syntax ({@code type: bind|volume}, {@code source}, {@code target}, {@code
   * read_only}, {@code bind.create_host_path}, which defaults to false there).
   */
  List<Mount> mounts(String service) {
    List<Mount> out = new ArrayList<>();
    for (JsonNode v : service(service).path("volumes")) {
      if (v.isObject()) {
        String type = v.path("type").asText();
        if (!type.equals("bind") && !type.equals("volume")) {
          throw new AssertionError(service + ": volume type '" + type + "' not modelled");
        }
        String target = v.path("target").asText();
        if (target.isEmpty()) {
          throw new AssertionError(service + ": volume " + v + " has no target");
        }
        out.add(
            new Mount(
                interpolate(v.path("source").asText()),
                interpolate(target),
                v.path("read_only").asBoolean(false),
                v.path("bind").path("create_host_path").asBoolean(false)));
        continue;
      }
      String[] parts = interpolate(v.asText()).split(":");
      if (parts.length < 2) {
        throw new AssertionError(service + ": volume " + v.asText() + " has no target");
      }
      boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
      out.add(new Mount(parts[0], parts[1], ro, true));
    }
    return out;
  }

  /** A service's volumes, source to target. */
  Map<String, String> volumes(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Mount m : mounts(service)) {
      out.put(m.source(), m.target());
    }
    return out;
  }

  List<String> dependsOn(String service) {
    JsonNode d = service(service).path("depends_on");
    List<String> out = new ArrayList<>();
    if (d.isObject()) {
      d.fieldNames().forEachRemaining(out::add);
    } else {
      d.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  /** The healthcheck command as one string ("CMD curl -fsS ..."). */
  String healthcheck(String service) {
    JsonNode test = service(service).path("healthcheck").path("test");
    if (test.isTextual()) {
      return test.asText();
    }
    List<String> parts = new ArrayList<>();
    test.forEach(x -> parts.add(x.asText()));
    return String.join(" ", parts);
  }

  /** ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR and $$ with every VAR unset. */
  static String interpolate(String value) {
    Matcher m = VAR.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement = m.group().equals("$$") ? "$" : m.group(3) != null ? m.group(3) : "";
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Compose durations: "30s", "1m30s", "500ms". */
  static Duration duration(String value) {
    Matcher m = GO_DURATION.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    if (end == 0 || end != value.length()) {
      throw new AssertionError("not a Compose duration: " + value);
    }
    return total;
  }
}
