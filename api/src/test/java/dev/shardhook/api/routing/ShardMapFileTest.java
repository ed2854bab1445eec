package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMapFileTest {
  @TempDir Path dir;

  private static final String MAP =
      """
      {"shards": [{"id": "shard-0", "nodes": ["HTTP://a:1/"]},
                  {"id": "shard-1", "nodes": ["http://b:1"]}],
       "epochs": [{"epoch": 1, "shards": ["shard-0"]},
                  {"epoch": 2, "shards": ["shard-0", "shard-1"]}]}
      """;

  @Test
  void readsTheWholeMapWithNormalisedNodeUrls() throws IOException {
    ShardMap map = ShardMapFile.json().read(write("shards.json", MAP));

    assertThat(map.shards())
        .containsExactly(
            new ShardMap.Shard("shard-0", List.of(URI.create("http://a:1"))),
            new ShardMap.Shard("shard-1", List.of(URI.create("http://b:1"))));
    assertThat(map.epochs())
        .containsExactly(
            new ShardMap.Epoch(1, List.of("shard-0")),
            new ShardMap.Epoch(2, List.of("shard-0", "shard-1")));
  }

  @Test
  void forPlacementOnlyNodeListsAndOtherFieldsAreNotTheReadersBusiness() throws IOException {
    Path map =
        write(
            "m.json",
            """
            {"shards": [{"id": "s-1", "nodes": "not a list"}, {"id": "s-0", "weight": 2}],
             "comment": "the proxies would refuse this map"}
            """);

    ShardMap placement = ShardMapFile.json().placementOnly().read(map);

    assertThat(placement.epochs()).containsExactly(new ShardMap.Epoch(1, List.of("s-1", "s-0")));
    assertThat(placement.shards()).allSatisfy(s -> assertThat(s.nodes()).isEmpty());
    assertThatThrownBy(() -> ShardMapFile.json().read(map))
        .isInstanceOf(InvalidShardMapException.class)
        .hasMessage("comment: unknown field (known: epochs, shards)");
  }

  @Test
  void forPlacementOnlyTheIdAndEpochRulesStillHold() throws IOException {
    Path map =
        write(
            "m.json",
            """
            {"shards": [{"id": "a"}, {"id": "b"}],
             "epochs": [{"epoch": 1, "shards": ["a", "b"]}, {"epoch": 2, "shards": ["b"]}]}
            """);

    assertThatThrownBy(() -> ShardMapFile.json().placementOnly().read(map))
        .isInstanceOf(InvalidShardMapException.class)
        .hasMessageStartingWith("epoch 2: drops shard 'a' of epoch 1");
  }

  @Test
  void withoutAYamlMapperEveryFileIsJson() throws IOException {
    Path yaml = write("m.yaml", "shards: [{id: a, nodes: [http://h:1]}]");

    assertThatThrownBy(() -> ShardMapFile.json().read(yaml))
        .isInstanceOf(InvalidShardMapException.class)
        .hasMessageStartingWith("not valid JSON (");
    assertThatThrownBy(() -> ShardMapFile.json().read(dir.resolve("none.json")))
        .hasMessage("no such file");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
