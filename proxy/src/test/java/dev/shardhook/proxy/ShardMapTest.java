package dev.shardhook.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardMapTest {
  @TempDir Path dir;

  private static final String JSON =
      """
      {"shards": [
         {"id": "shard-0", "nodes": ["http://127.0.0.1:9100", "http://127.0.0.1:9101/"]},
         {"id": "shard-1", "nodes": ["HTTP://Node-B:9200"]}],
       "epochs": [
         {"epoch": 1, "shards": ["shard-0"]},
         {"epoch": 2, "shards": ["shard-0", "shard-1"]}]}
      """;

  private static final String YAML =
      """
      # the same map as JSON above
      shards:
        - id: shard-0
          nodes:
            - http://127.0.0.1:9100
            - http://127.0.0.1:9101/
        - id: shard-1
          nodes:
            - HTTP://Node-B:9200
      epochs:
        - epoch: 1
          shards: [shard-0]
        - epoch: 2
          shards: [shard-0, shard-1]
      """;

  @Test
  void readsJsonAndYamlToTheSameMap() throws IOException {
    ShardMap json = ShardMap.read(write("shards.json", JSON));
    ShardMap yaml = ShardMap.read(write("shards.yaml", YAML));

    for (ShardMap map : List.of(json, yaml)) {
      assertThat(map.shards())
          .containsExactly(
              new ShardMap.Shard(
                  "shard-0",
                  List.of(
                      URI.create("http://127.0.0.1:9100"), URI.create("http://127.0.0.1:9101"))),
              new ShardMap.Shard("shard-1", List.of(URI.create("http://Node-B:9200"))));
      assertThat(map.epochs())
          .containsExactly(
              new ShardMap.Epoch(1, List.of("shard-0")),
              new ShardMap.Epoch(2, List.of("shard-0", "shard-1")));
      assertThat(map.newestEpoch().number()).isEqualTo(2);
    }
  }

  @Test
  void withoutEpochsEveryShardFormsEpochOne() throws IOException {
    ShardMap map =
        ShardMap.read(
            write(
                "m.json",
                """
                {"shards": [{"id": "b", "nodes": ["http://h:1"]}, {"id": "a", "nodes": ["http://h:2"]}]}
                """));

    assertThat(map.epochs()).containsExactly(new ShardMap.Epoch(1, List.of("b", "a")));
  }

  @Test
  void parsesTheShardsFlag() {
    ShardMap map =
        ShardMap.parse(" shard-0=http://h:1, http://h:2 ,http://h:3; shard-1=https://g:4 ;");

    assertThat(map.shards()).extracting(ShardMap.Shard::id).containsExactly("shard-0", "shard-1");
    assertThat(map.shard("shard-0").orElseThrow().nodes()).hasSize(3);
    assertThat(map.shard("shard-1").orElseThrow().nodes())
        .containsExactly(URI.create("https://g:4"));
    assertThat(map.epochs()).containsExactly(new ShardMap.Epoch(1, List.of("shard-0", "shard-1")));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"shards": []}                                                                  | shards: at least one shard is required
          {}                                                                              | shards: required
          []                                                                              | expected an object with "shards"
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "extra": 1}                  | extra: unknown field (known: epochs, shards)
          {"shards": [{"id": "a", "node": ["http://h:1"]}]}                               | shards[0].node: unknown field
          {"shards": [{"id": "a", "nodes": "http://h:1"}]}                                | shards[0].nodes: expected an array
          {"shards": [{"id": 7, "nodes": ["http://h:1"]}]}                                | shards[0].id: expected a string
          {"shards": [{"id": "a b", "nodes": ["http://h:1"]}]}                            | shard id 'a b': must match [A-Za-z0-9._-]{1,64}
          {"shards": [{"id": "a", "nodes": []}]}                                          | shard 'a': no nodes
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}, {"id": "a", "nodes": ["http://h:2"]}]} | shard 'a': listed twice
          {"shards": [{"id": "a", "nodes": ["ftp://h:1"]}]}                               | shard 'a': node 'ftp://h:1': must be an absolute http or https URL
          {"shards": [{"id": "a", "nodes": ["h:1"]}]}                                     | shard 'a': node 'h:1': must be an absolute http or https URL
          {"shards": [{"id": "a", "nodes": ["http://h:1/api"]}]}                          | shard 'a': node 'http://h:1/api': must be a base URL without path
          {"shards": [{"id": "a", "nodes": ["http://h:99999"]}]}                          | shard 'a': node 'http://h:99999': port must be 1..65535
          {"shards": [{"id": "a", "nodes": ["http://h :1"]}]}                             | shards[0].nodes[0]: 'http://h :1' is not a URL
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}, {"id": "b", "nodes": ["http://H:1/"]}]} | shard 'b': node http://H:1 already belongs to shard 'a'
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "epochs": []}                | epochs: empty
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "epochs": [{"epoch": 1, "shards": ["z"]}]} | epoch 1: unknown shard 'z'; shards are a
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "epochs": [{"epoch": 0, "shards": ["a"]}]} | epoch 0: epoch numbers must be positive
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "epochs": [{"epoch": "1", "shards": ["a"]}]} | epochs[0].epoch: required, an integer
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "epochs": [{"epoch": 1, "shards": []}]} | epoch 1: lists no shards
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}], "epochs": [{"epoch": 1, "shards": ["a", "a"]}]} | epoch 1: lists shard 'a' twice
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}, {"id": "b", "nodes": ["http://h:2"]}], "epochs": [{"epoch": 2, "shards": ["a"]}, {"epoch": 1, "shards": ["a", "b"]}]} | epoch 1: listed after epoch 2; list epochs oldest first
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}, {"id": "b", "nodes": ["http://h:2"]}], "epochs": [{"epoch": 1, "shards": ["a"]}, {"epoch": 2, "shards": ["b"]}]} | epoch 2: drops shard 'a' of epoch 1
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}, {"id": "b", "nodes": ["http://h:2"]}], "epochs": [{"epoch": 1, "shards": ["a", "b"]}, {"epoch": 2, "shards": ["b", "a"]}]} | epoch 2: has the same shards as epoch 1
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}, {"id": "b", "nodes": ["http://h:2"]}], "epochs": [{"epoch": 1, "shards": ["a"]}]} | shard 'b': in no epoch
          {"shards": [{"id": "a", "nodes": ["http://h:1"]}],                              | not valid JSON
          """)
  void refusesABadMapFileWithOneClearLine(String json, String expected) throws IOException {
    Path file = write("bad.json", json);

    assertThatThrownBy(() -> ShardMap.read(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("shard map " + file + ": ")
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void refusesBadYamlWithItsPosition() throws IOException {
    Path file = write("bad.yml", "shards:\n  - id: a\n    nodes: [http://h:1\n");

    assertThatThrownBy(() -> ShardMap.read(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("line ");
  }

  @Test
  void refusesAMissingFileAndAnEmptyOne() throws IOException {
    assertThatThrownBy(() -> ShardMap.read(dir.resolve("nope.json")))
        .hasMessageEndingWith("nope.json: no such file");
    Path empty = write("empty.yaml", "");
    assertThatThrownBy(() -> ShardMap.read(empty)).hasMessageContaining(": empty;");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          ``                       | --shards: empty; expected shard-0=
          shard-0                  | --shards: 'shard-0' is not <shard-id>=<url>,<url>,...
          shard-0=                 | --shards: shard 'shard-0': no nodes
          shard-0=http://h:1;shard-0=http://h:2 | --shards: shard 'shard-0': listed twice
          shard-0=http://h:1:2     | --shards: shard 'shard-0': node 'http://h:1:2'
          """)
  void refusesABadShardsFlag(String spec, String expected) {
    assertThatThrownBy(() -> ShardMap.parse(spec))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(expected);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
