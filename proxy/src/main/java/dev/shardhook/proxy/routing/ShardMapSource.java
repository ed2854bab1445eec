package dev.shardhook.proxy.routing;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.shardhook.api.routing.InvalidShardMapException;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.api.routing.ShardMapFile;
import dev.shardhook.support.InvalidConfigException;
import java.nio.file.Path;

/**
 * Where the proxy's shard map comes from: a map file, JSON or YAML, or the {@code --shards} flag.
 */
public final class ShardMapSource {
  private static final ShardMapFile FILE =
      ShardMapFile.json()
          .withYaml(
              YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private ShardMapSource() {}

  /**
   * Reads a map file: YAML when the name ends in {@code .yaml} or {@code .yml}, JSON otherwise.
   *
   * @throws InvalidConfigException starting with {@code shard map <file>:}
   */
  public static ShardMap read(Path file) {
    try {
      return FILE.read(file);
    } catch (InvalidShardMapException e) {
      throw new InvalidConfigException("shard map " + file + ": " + e.getMessage());
    }
  }

  /**
   * Parses the {@code --shards} form, one epoch of these shards: {@code
   * shard-0=http://h:1,http://h:2;shard-1=http://h:4}.
   *
   * @throws InvalidConfigException starting with {@code --shards:}
   */
  public static ShardMap parse(String spec) {
    return ShardSpec.parse(spec);
  }
}
