package dev.shardhook.proxy.routing;

import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.routing.InvalidShardMapException;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.support.InvalidConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --shards} flag: {@code shard-0=http://h:9100,http://h:9101;shard-1=http://h:9200}, one
 * epoch of the shards in the order given. Enough for a fixed cluster; adding shards later needs
 * epochs, which only a map file can express.
 */
final class ShardSpec {
  static final String EXAMPLE = "shard-0=http://h:9100,http://h:9101;shard-1=http://h:9200";

  private ShardSpec() {}

  static ShardMap parse(String spec) {
    try {
      return ShardMap.of(shards(spec), null);
    } catch (InvalidConfigException | InvalidShardMapException e) {
      throw new InvalidConfigException("--shards: " + e.getMessage());
    }
  }

  private static List<ShardMap.Shard> shards(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new InvalidConfigException("empty; expected " + EXAMPLE);
    }
    List<ShardMap.Shard> shards = new ArrayList<>();
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue; // a trailing ';' is harmless
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new InvalidConfigException(
            "'"
                + Printable.of(entry.trim())
                + "' is not <shard-id>=<url>,<url>,...; e.g. "
                + EXAMPLE);
      }
      String id = entry.substring(0, eq).trim();
      List<URI> nodes = new ArrayList<>();
      for (String url : entry.substring(eq + 1).split(",")) {
        if (!url.isBlank()) {
          nodes.add(uri(id, url.trim()));
        }
      }
      shards.add(new ShardMap.Shard(id, nodes));
    }
    return shards;
  }

  private static URI uri(String shard, String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidConfigException(
          "shard '" + Printable.of(shard) + "': '" + Printable.of(url) + "' is not a URL");
    }
  }
}
