package dev.shardhook.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of one {@code POST /jobs:batch}: which items go to which shard, and the result of
 * each item by its position, so the answer lists results in request order however the sub-batches
 * were split and whenever they came back. Not thread-safe: the endpoint fills it from its own
 * thread after the sub-batches complete.
 */
public final class BatchPlan {
  private final JsonNode[] results;
  private final Map<String, List<Integer>> routed = new LinkedHashMap<>();

  public BatchPlan(int items) {
    this.results = new JsonNode[items];
  }

  int size() {
    return results.length;
  }

  /** Sends item {@code index} to {@code shard} in the next round of sub-batches. */
  public void route(int index, String shard) {
    requireOpen(index);
    routed.computeIfAbsent(shard, s -> new ArrayList<>()).add(index);
  }

  /**
   * The sub-batches routed so far, by shard, each in request order, and forgets them: items that
   * need another round are routed again.
   */
  public Map<String, List<Integer>> takeRouted() {
    Map<String, List<Integer>> taken = new LinkedHashMap<>();
    routed.forEach((shard, items) -> taken.put(shard, items.stream().sorted().toList()));
    routed.clear();
    return taken;
  }

  /** Records the result of item {@code index}. */
  public void settle(int index, JsonNode result) {
    requireOpen(index);
    results[index] = result;
  }

  /**
   * Records a sub-batch's results: the i-th result belongs to the i-th index.
   *
   * @throws IllegalArgumentException when the counts differ
   */
  public void settle(List<Integer> indexes, List<JsonNode> subResults) {
    if (indexes.size() != subResults.size()) {
      throw new IllegalArgumentException(
          indexes.size() + " items but " + subResults.size() + " results");
    }
    for (int i = 0; i < indexes.size(); i++) {
      settle(indexes.get(i), subResults.get(i));
    }
  }

  boolean settled(int index) {
    return results[index] != null;
  }

  /**
   * Every result, in request order.
   *
   * @throws IllegalStateException when an item has none (a bug in the endpoint)
   */
  public ArrayNode results() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(results.length);
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null) {
        throw new IllegalStateException("batch item " + i + " has no result");
      }
      out.add(results[i]);
    }
    return out;
  }

  private void requireOpen(int index) {
    if (results[index] != null) {
      throw new IllegalStateException("batch item " + index + " already has a result");
    }
  }
}
