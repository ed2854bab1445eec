package dev.shardhook.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  @Test
  void splitsByShardKeepingRequestOrderWithinEachSubBatch() {
    BatchPlan plan = new BatchPlan(6);
    plan.route(0, "b");
    plan.route(1, "a");
    plan.route(3, "b");
    plan.route(4, "a");
    plan.route(5, "b");

    Map<String, List<Integer>> subBatches = plan.takeRouted();

    assertThat(subBatches).containsOnlyKeys("a", "b");
    assertThat(subBatches.get("a")).containsExactly(1, 4);
    assertThat(subBatches.get("b")).containsExactly(0, 3, 5);
    assertThat(plan.takeRouted()).as("taken once").isEmpty();
  }

  @Test
  void mergesResultsInRequestOrderWhateverOrderSubBatchesComeBackIn() {
    BatchPlan plan = new BatchPlan(5);
    plan.settle(2, new TextNode("refused-2"));
    plan.route(0, "a");
    plan.route(1, "b");
    plan.route(3, "a");
    plan.route(4, "b");
    Map<String, List<Integer>> subBatches = plan.takeRouted();

    plan.settle(subBatches.get("b"), List.of(new TextNode("b-1"), new TextNode("b-4")));
    plan.settle(subBatches.get("a"), List.of(new TextNode("a-0"), new TextNode("a-3")));

    List<String> results = new ArrayList<>();
    plan.results().forEach(r -> results.add(r.asText()));
    assertThat(results).containsExactly("a-0", "b-1", "refused-2", "a-3", "b-4");
  }

  @Test
  void anItemRoutedAgainAfterAFailedRoundLandsInTheNextSubBatches() {
    BatchPlan plan = new BatchPlan(2);
    plan.route(0, "dead");
    plan.route(1, "dead");
    plan.takeRouted();

    plan.route(1, "alive");
    plan.settle(0, IntNode.valueOf(503));

    assertThat(plan.takeRouted()).containsExactly(Map.entry("alive", List.of(1)));
    assertThat(plan.settled(0)).isTrue();
    assertThat(plan.settled(1)).isFalse();
  }

  @Test
  void refusesMismatchedCountsDoubleResultsAndMissingOnes() {
    BatchPlan plan = new BatchPlan(2);
    List<JsonNode> one = List.of(IntNode.valueOf(1));

    assertThatThrownBy(() -> plan.settle(List.of(0, 1), one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 items but 1 results");
    plan.settle(0, IntNode.valueOf(1));
    assertThatThrownBy(() -> plan.settle(0, IntNode.valueOf(2)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> plan.route(0, "a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(plan::results)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("batch item 1 has no result");
  }
}
