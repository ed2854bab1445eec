package dev.shardhook.api.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardhook.api.problem.Printable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a shard map file, JSON (or YAML of the same structure, given a YAML mapper):
 *
 * <pre>{@code
 * {"shards": [{"id": "shard-0", "nodes": ["http://10.0.0.1:8080", ...]}, ...],
 *  "epochs": [{"epoch": 1, "shards": ["shard-0"]}, {"epoch": 2, "shards": ["shard-0", "shard-1"]}]}
 * }</pre>
 *
 * <p>The document is walked by hand rather than bound to classes so that every mistake, a typo'd
 * field included, is reported with its position ({@code shards[1].nodes[0]}) and not as a Jackson
 * message. {@link ShardMap#of} then checks the rules that span the whole map. Proxies read the
 * whole map; a node reads it {@link #placementOnly() for placement only}, with the same rules for
 * shard ids and epochs, so that a map the node accepts places every id where the proxies do.
 * Immutable.
 */
public final class ShardMapFile {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final ObjectMapper yaml;
  private final boolean placementOnly;

  private ShardMapFile(ObjectMapper yaml, boolean placementOnly) {
    this.yaml = yaml;
    this.placementOnly = placementOnly;
  }

  /** A reader of JSON maps, checking every rule. */
  public static ShardMapFile json() {
    return new ShardMapFile(null, false);
  }

  /**
   * Also reads files named {@code *.yaml} or {@code *.yml}, with {@code yamlMapper} (a {@code
   * YAMLMapper}, best with {@code STRICT_DUPLICATE_DETECTION}; the api module does not depend on
   * the YAML format itself).
   */
  public ShardMapFile withYaml(ObjectMapper yamlMapper) {
    return new ShardMapFile(Objects.requireNonNull(yamlMapper, "yamlMapper"), placementOnly);
  }

  /**
   * Reads what placement depends on only, the shard ids and the epochs, with their rules: node
   * lists and unknown fields are the proxies' business and are ignored; the shards have no nodes.
   */
  public ShardMapFile placementOnly() {
    return new ShardMapFile(yaml, true);
  }

  /**
   * @throws InvalidShardMapException naming what is wrong, without the file's name
   */
  public ShardMap read(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    boolean isYaml = yaml != null && (lower.endsWith(".yaml") || lower.endsWith(".yml"));
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw invalid("no such file");
    } catch (IOException e) {
      throw invalid("cannot read (" + e + ")");
    }
    return parse(content, isYaml);
  }

  /** Reads a map from the content of a file; {@code isYaml} needs {@link #withYaml}. */
  ShardMap parse(byte[] content, boolean isYaml) {
    JsonNode root;
    try {
      root = (isYaml ? yaml : JSON).readTree(content);
    } catch (JsonProcessingException e) {
      throw invalid(
          "not valid "
              + (isYaml ? "YAML" : "JSON")
              + " ("
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + (e.getLocation() == null
                  ? ""
                  : " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr())
              + ")");
    } catch (IOException e) {
      throw invalid("cannot read (" + e + ")");
    }
    return map(root);
  }

  private ShardMap map(JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw invalid("empty; expected an object with \"shards\" and optionally \"epochs\"");
    }
    if (!root.isObject()) {
      throw invalid("expected an object with \"shards\" and optionally \"epochs\"");
    }
    onlyFields(root, "", Set.of("shards", "epochs"));
    List<ShardMap.Shard> shards = shards(array(root.get("shards"), "shards", true));
    JsonNode value = root.get("epochs");
    List<ShardMap.Epoch> epochs = value == null || value.isNull() ? null : epochs(value);
    return placementOnly ? ShardMap.placement(shards, epochs) : ShardMap.of(shards, epochs);
  }

  private List<ShardMap.Shard> shards(JsonNode array) {
    List<ShardMap.Shard> shards = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "shards[" + i + "]";
      JsonNode shard = object(array.get(i), where, "{\"id\": ..., \"nodes\": [...]}");
      onlyFields(shard, where + ".", Set.of("id", "nodes"));
      String id = text(shard.get("id"), where + ".id");
      if (placementOnly) {
        shards.add(new ShardMap.Shard(id, List.of()));
        continue;
      }
      JsonNode nodes = array(shard.get("nodes"), where + ".nodes", true);
      List<URI> urls = new ArrayList<>();
      for (int j = 0; j < nodes.size(); j++) {
        String at = where + ".nodes[" + j + "]";
        urls.add(uri(text(nodes.get(j), at), at));
      }
      shards.add(new ShardMap.Shard(id, urls));
    }
    return shards;
  }

  private List<ShardMap.Epoch> epochs(JsonNode value) {
    JsonNode array = array(value, "epochs", false);
    List<ShardMap.Epoch> epochs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "epochs[" + i + "]";
      JsonNode epoch = object(array.get(i), where, "{\"epoch\": 1, \"shards\": [...]}");
      onlyFields(epoch, where + ".", Set.of("epoch", "shards"));
      JsonNode number = epoch.get("epoch");
      if (number == null || !number.isIntegralNumber() || !number.canConvertToLong()) {
        throw invalid(where + ".epoch: required, an integer");
      }
      JsonNode members = array(epoch.get("shards"), where + ".shards", true);
      List<String> ids = new ArrayList<>();
      for (int j = 0; j < members.size(); j++) {
        ids.add(text(members.get(j), where + ".shards[" + j + "]"));
      }
      epochs.add(new ShardMap.Epoch(number.asLong(), ids));
    }
    return epochs;
  }

  private void onlyFields(JsonNode object, String prefix, Set<String> known) {
    if (placementOnly) {
      return;
    }
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw invalid(
            prefix
                + Printable.of(name)
                + ": unknown field (known: "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static JsonNode object(JsonNode value, String where, String example) {
    if (value == null || !value.isObject()) {
      throw invalid(where + ": expected an object " + example);
    }
    return value;
  }

  private static JsonNode array(JsonNode value, String where, boolean required) {
    if (value == null || value.isNull()) {
      if (required) {
        throw invalid(where + ": required");
      }
    }
    if (value == null || !value.isArray()) {
      throw invalid(where + ": expected an array");
    }
    return value;
  }

  private static String text(JsonNode value, String where) {
    if (value == null || value.isNull()) {
      throw invalid(where + ": required");
    }
    if (!value.isTextual()) {
      throw invalid(where + ": expected a string");
    }
    return value.asText();
  }

  private static URI uri(String text, String where) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw invalid(where + ": '" + Printable.of(text) + "' is not a URL (" + e.getReason() + ")");
    }
  }

  private static InvalidShardMapException invalid(String message) {
    return new InvalidShardMapException(message);
  }
}
