package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Proxies and nodes read the shard map at start-up and on every change: whatever the file holds,
 * reading it gives a map or an {@link InvalidShardMapException} that names the mistake (which the
 * caller reports and survives), nothing else. And a map the proxies accept places ids exactly where
 * the nodes, reading it for placement only, expect them. Seeds: {@code
 * src/test/resources/dev/shardhook/api/routing/ShardMapFileFuzzTestInputs}.
 */
class ShardMapFileFuzzTest {
  private static final ShardMapFile PROXY = ShardMapFile.json();
  private static final ShardMapFile NODE = ShardMapFile.json().placementOnly();

  // The map's field names and URL parts, which random mutation rarely spells.
  @DictionaryEntries({
    "\"shards\":",
    "\"epochs\":",
    "\"id\":",
    "\"nodes\":",
    "\"epoch\":",
    "\"http://",
    "\"https://",
    ":8080",
    "[::1]"
  })
  @FuzzTest(maxDuration = "12s")
  void shardMapsParseOrNameTheirMistake(byte[] content) {
    ShardMap full = parsed(PROXY, content);
    ShardMap placement = parsed(NODE, content);
    if (full != null) {
      assertThat(placement).as("a map the proxies accept, read by a node").isNotNull();
      assertThat(placement.epochs()).isEqualTo(full.epochs());
      assertThat(full.shards()).allSatisfy(shard -> assertThat(shard.nodes()).isNotEmpty());
    }
  }

  private static ShardMap parsed(ShardMapFile reader, byte[] content) {
    try {
      return reader.parse(content, false);
    } catch (InvalidShardMapException mistake) {
      assertThat(mistake.getMessage()).isNotBlank();
      return null;
    }
  }
}
