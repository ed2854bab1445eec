package dev.shardhook.node.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMapFileTest {
  @TempDir Path dir;

  @Test
  void readsTheEpochsOfTheProxiesMapOldestFirst() {
    Path map =
        write(
            "shards.json",
            """
            {"shards": [{"id": "shard-0", "nodes": ["http://a:1"]},
                        {"id": "shard-1", "nodes": ["http://b:1"]}],
             "epochs": [{"epoch": 1, "shards": ["shard-0"]},
                        {"epoch": 2, "shards": ["shard-0", "shard-1"]}]}
            """);

    assertThat(ShardMapFile.epochs(map))
        .isEqualTo(List.of(List.of("shard-0"), List.of("shard-0", "shard-1")));
  }

  @Test
  void withoutEpochsEveryShardIsInOne() {
    Path map = write("m.json", "{\"shards\": [{\"id\": \"s-1\"}, {\"id\": \"s-0\"}]}");

    assertThat(ShardMapFile.epochs(map)).isEqualTo(List.of(List.of("s-1", "s-0")));
  }

  @Test
  void mistakesAreNamed() {
    assertRefused("x.json", "{\"shards\": []}", "shards: required");
    assertRefused("x.json", "{\"shards\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}", "listed twice");
    assertRefused("x.json", "{\"shards\": [{\"id\": \"a b\"}]}", "shards[0].id: must match");
    assertRefused("x.json", "{\"shards\": [", "not valid JSON");
    assertRefused("x.yaml", "shards: [{id: a}]", "JSON shard maps only");
    assertRefused(
        "x.json",
        "{\"shards\": [{\"id\": \"a\"}], \"epochs\": [{\"epoch\": 1, \"shards\": [\"b\"]}]}",
        "epoch 1: unknown shard 'b'");
    assertRefused(
        "x.json",
        """
        {"shards": [{"id": "a"}, {"id": "b"}],
         "epochs": [{"epoch": 1, "shards": ["a", "b"]}, {"epoch": 2, "shards": ["b"]}]}
        """,
        "epoch 2: must keep every shard of epoch 1");
    assertRefused(
        "x.json",
        "{\"shards\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"epochs\": [{\"epoch\": 1, \"shards\":"
            + " [\"a\"]}]}",
        "shard 'b': in no epoch");
    assertThatThrownBy(() -> ShardOwnership.read(dir.resolve("missing.json"), "a"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("shard-map " + dir.resolve("missing.json") + ": no such file");
  }

  private void assertRefused(String name, String json, String message) {
    Path file = write(name, json);
    assertThatThrownBy(() -> ShardMapFile.epochs(file))
        .as(json)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(message);
  }

  private Path write(String name, String json) {
    try {
      return Files.writeString(dir.resolve(name), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
