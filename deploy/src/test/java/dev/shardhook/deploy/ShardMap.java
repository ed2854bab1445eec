package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The proxy's shard map ({@code {"shards":[{"id","nodes":[url…]}], "epochs":[{"epoch","shards"}]}})
 * read strictly: unknown fields, duplicate shards or nodes, and epochs naming undefined shards
 * fail.
 */
record ShardMap(Map<String, List<String>> shards, List<Epoch> epochs) {
  record Epoch(long epoch, List<String> shards) {}

  static ShardMap parse(String source, String json) {
    JsonNode root;
    try {
      root = DeployFiles.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
    assertThat(fieldNames(root))
        .as(source + " top level")
        .containsExactlyInAnyOrder("shards", "epochs");
    Map<String, List<String>> shards = new LinkedHashMap<>();
    Set<String> allNodes = new HashSet<>();
    for (JsonNode s : root.path("shards")) {
      assertThat(fieldNames(s))
          .as(source + " shard fields")
          .containsExactlyInAnyOrder("id", "nodes");
      String id = s.path("id").asText();
      List<String> nodes = new ArrayList<>();
      s.path("nodes").forEach(n -> nodes.add(n.asText()));
      assertThat(id).as(source + " shard id").matches("[A-Za-z0-9._-]{1,64}");
      assertThat(shards.put(id, nodes)).as(source + ": shard " + id + " twice").isNull();
      assertThat(nodes).as(source + ": nodes of " + id).hasSize(3).doesNotHaveDuplicates();
      for (String n : nodes) {
        assertThat(allNodes.add(n)).as(source + ": node " + n + " in two shards").isTrue();
      }
    }
    assertThat(shards).as(source + ": shards").isNotEmpty();
    List<Epoch> epochs = new ArrayList<>();
    long previous = 0;
    Set<String> placed = new HashSet<>();
    for (JsonNode e : root.path("epochs")) {
      assertThat(fieldNames(e))
          .as(source + " epoch fields")
          .containsExactlyInAnyOrder("epoch", "shards");
      long number = e.path("epoch").asLong();
      assertThat(number).as(source + ": epochs ascend from 1").isGreaterThan(previous);
      previous = number;
      List<String> members = new ArrayList<>();
      e.path("shards").forEach(x -> members.add(x.asText()));
      assertThat(members)
          .as(source + ": epoch " + number + " names only defined shards")
          .isNotEmpty()
          .doesNotHaveDuplicates()
          .allMatch(shards::containsKey);
      placed.addAll(members);
      epochs.add(new Epoch(number, List.copyOf(members)));
    }
    assertThat(epochs).as(source + ": epochs").isNotEmpty();
    assertThat(placed).as(source + ": every shard is in some epoch").isEqualTo(shards.keySet());
    // Shards are only ever added (docs/architecture.md §4): the newest ring places new jobs on all
    // of them.
    assertThat(epochs.get(epochs.size() - 1).shards())
        .as(source + ": the newest epoch has every shard")
        .containsExactlyInAnyOrderElementsOf(shards.keySet());
    return new ShardMap(shards, epochs);
  }

  Epoch newest() {
    return epochs.get(epochs.size() - 1);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
