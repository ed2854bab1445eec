package dev.shardhook.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.support.InvalidConfigException;
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
import java.util.Set;

/**
 * Reads a shard map file, JSON or YAML of the same structure:
 *
 * <pre>{@code
 * {"shards": [{"id": "shard-0", "nodes": ["http://10.0.0.1:8080", ...]}, ...],
 *  "epochs": [{"epoch": 1, "shards": ["shard-0"]}, {"epoch": 2, "shards": ["shard-0", "shard-1"]}]}
 * }</pre>
 *
 * <p>The document is walked by hand rather than bound to classes so that every mistake, a typo'd
 * field included, is reported with its position ({@code shards[1].nodes[0]}) and not as a Jackson
 * message. {@link ShardMap#of} then checks the rules that span the whole map.
 */
final class ShardMapFile {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ShardMapFile() {}

  static ShardMap read(Path file) {
    try {
      return parse(file);
    } catch (InvalidConfigException e) {
      throw new InvalidConfigException("shard map " + file + ": " + e.getMessage());
    }
  }

  private static ShardMap parse(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    boolean yaml =
        name.toLowerCase(Locale.ROOT).endsWith(".yaml")
            || name.toLowerCase(Locale.ROOT).endsWith(".yml");
    JsonNode root;
    try {
      root = (yaml ? YAML : JSON).readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw invalid("no such file");
    } catch (JsonProcessingException e) {
      throw invalid(
          "not valid "
              + (yaml ? "YAML" : "JSON")
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
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw invalid("empty; expected an object with \"shards\" and optionally \"epochs\"");
    }
    if (!root.isObject()) {
      throw invalid("expected an object with \"shards\" and optionally \"epochs\"");
    }
    onlyFields(root, "", Set.of("shards", "epochs"));
    List<ShardMap.Shard> shards = shards(array(root.get("shards"), "shards", true));
    JsonNode epochs = root.get("epochs");
    return ShardMap.of(shards, epochs == null || epochs.isNull() ? null : epochs(epochs));
  }

  private static List<ShardMap.Shard> shards(JsonNode array) {
    List<ShardMap.Shard> shards = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "shards[" + i + "]";
      JsonNode shard = object(array.get(i), where, "{\"id\": ..., \"nodes\": [...]}");
      onlyFields(shard, where + ".", Set.of("id", "nodes"));
      String id = text(shard.get("id"), where + ".id");
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

  private static List<ShardMap.Epoch> epochs(JsonNode value) {
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

  private static void onlyFields(JsonNode object, String prefix, Set<String> known) {
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

  private static InvalidConfigException invalid(String message) {
    return new InvalidConfigException(message);
  }
}
