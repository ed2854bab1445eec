package dev.shardhook.node.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardhook.support.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the ring epochs out of the proxies' shard map file (JSON only):
 *
 * <pre>{@code
 * {"shards": [{"id": "shard-0", "nodes": [...]}, ...],
 *  "epochs": [{"epoch": 1, "shards": ["shard-0"]}, {"epoch": 2, "shards": ["shard-0", "shard-1"]}]}
 * }</pre>
 *
 * <p>Only what placement depends on is read and checked: the shard ids and the epochs, with the
 * proxy's rules for them, so that a map the node accepts places every id where the proxies do. Node
 * URLs and anything else are the proxies' business and are ignored here.
 */
final class ShardMapFile {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private ShardMapFile() {}

  /**
   * Every epoch's shard ids, oldest first; a map without {@code epochs} is one epoch of its shards
   * in listed order.
   *
   * @throws InvalidConfigException naming what is wrong, without the file name
   */
  static List<List<String>> epochs(Path file) {
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      throw invalid("the node reads JSON shard maps only; give it the map as .json");
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw invalid("no such file");
    } catch (JsonProcessingException e) {
      throw invalid(
          "not valid JSON ("
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
    if (root == null || !root.isObject()) {
      throw invalid("expected an object with \"shards\" and optionally \"epochs\"");
    }
    List<String> shards = shardIds(root.get("shards"));
    JsonNode epochs = root.get("epochs");
    if (epochs == null || epochs.isNull()) {
      return List.of(shards);
    }
    return checked(epochs(epochs), shards);
  }

  private static List<String> shardIds(JsonNode array) {
    if (array == null || !array.isArray() || array.isEmpty()) {
      throw invalid("shards: required, a non-empty array of {\"id\": ..., \"nodes\": [...]}");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode shard = array.get(i);
      if (!shard.isObject()) {
        throw invalid("shards[" + i + "]: expected an object {\"id\": ..., \"nodes\": [...]}");
      }
      String id = shardId(shard.get("id"), "shards[" + i + "].id");
      if (ids.contains(id)) {
        throw invalid("shard '" + id + "': listed twice");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  private static List<Epoch> epochs(JsonNode array) {
    if (!array.isArray() || array.isEmpty()) {
      throw invalid(
          "epochs: expected a non-empty array; leave it out for one epoch of every shard");
    }
    List<Epoch> epochs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "epochs[" + i + "]";
      JsonNode epoch = array.get(i);
      if (!epoch.isObject()) {
        throw invalid(where + ": expected an object {\"epoch\": 1, \"shards\": [...]}");
      }
      JsonNode number = epoch.get("epoch");
      if (number == null || !number.isIntegralNumber() || !number.canConvertToLong()) {
        throw invalid(where + ".epoch: required, an integer");
      }
      JsonNode members = epoch.get("shards");
      if (members == null || !members.isArray() || members.isEmpty()) {
        throw invalid(where + ".shards: required, a non-empty array of shard ids");
      }
      List<String> ids = new ArrayList<>();
      for (int j = 0; j < members.size(); j++) {
        ids.add(shardId(members.get(j), where + ".shards[" + j + "]"));
      }
      epochs.add(new Epoch(number.asLong(), List.copyOf(ids)));
    }
    return epochs;
  }

  /** The proxy's rules: a later epoch keeps every shard and adds one; no shard is in none. */
  private static List<List<String>> checked(List<Epoch> epochs, List<String> shards) {
    Epoch previous = null;
    for (Epoch epoch : epochs) {
      String where = "epoch " + epoch.number();
      if (epoch.number() < 1) {
        throw invalid(where + ": epoch numbers must be positive");
      }
      if (previous != null && epoch.number() <= previous.number()) {
        throw invalid(where + ": listed after epoch " + previous.number() + "; list oldest first");
      }
      Set<String> members = new HashSet<>();
      for (String shard : epoch.shards()) {
        if (!shards.contains(shard)) {
          throw invalid(where + ": unknown shard '" + shard + "'");
        }
        if (!members.add(shard)) {
          throw invalid(where + ": lists shard '" + shard + "' twice");
        }
      }
      if (previous != null
          && (!members.containsAll(previous.shards())
              || members.size() == previous.shards().size())) {
        throw invalid(
            where
                + ": must keep every shard of epoch "
                + previous.number()
                + " and add at least one");
      }
      previous = epoch;
    }
    for (String shard : shards) {
      if (!previous.shards().contains(shard)) {
        throw invalid("shard '" + shard + "': in no epoch");
      }
    }
    return epochs.stream().map(Epoch::shards).toList();
  }

  private static String shardId(JsonNode value, String where) {
    if (value == null || !value.isTextual()) {
      throw invalid(where + ": required, a string");
    }
    String id = value.asText();
    if (!SHARD_ID.matcher(id).matches()) {
      throw invalid(where + ": must match [A-Za-z0-9._-]{1,64}");
    }
    return id;
  }

  private static InvalidConfigException invalid(String message) {
    return new InvalidConfigException(message);
  }

  private record Epoch(long number, List<String> shards) {}
}
