package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A named queue as {@code GET /queues/{name}} answers it (README, "Queues"): its configuration, how
 * its limits divide among shards, and its live counts. A node answers for its shard; the proxy sums
 * the shards' counts and lists each shard's answer in {@code shards}.
 *
 * @param name the queue's name ({@code [A-Za-z0-9_-]{1,64}})
 * @param retry the retry defaults its jobs take (fields left out take the shard's)
 * @param maxConcurrency queue-wide limit of attempts running at once, or null for none
 * @param ratePerSecond queue-wide limit of attempts started per second, or null for none
 * @param burst attempts that may start at once (token bucket size), queue-wide; null without a rate
 * @param paused whether its jobs are held back
 * @param orderingOnFailure {@code block} or {@code skip}
 * @param onDestinationDisabled {@code wait} or {@code fail}
 * @param limits how the limits divide among shards
 * @param depth pending jobs
 * @param running attempts running now (on the shards' leaders)
 * @param delivered jobs that succeeded
 * @param failed jobs that failed terminally
 * @param configured false for the implicit {@code default} queue nobody configured
 * @param updatedAt when its configuration last changed; null when never configured
 * @param shards through a proxy: each shard's own answer by shard id; null from a node
 * @param partial through a proxy: shards that did not answer; null when every shard answered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Queue(
    String name,
    RetrySpec retry,
    Integer maxConcurrency,
    Double ratePerSecond,
    Integer burst,
    boolean paused,
    String orderingOnFailure,
    String onDestinationDisabled,
    Limits limits,
    long depth,
    long running,
    long delivered,
    long failed,
    boolean configured,
    Instant updatedAt,
    Map<String, Queue> shards,
    List<String> partial) {

  /**
   * How queue-wide limits apply: {@code scope} is {@code "divided"}, each of the {@code shards}
   * shards enforcing {@code perShard}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Limits(String scope, int shards, PerShard perShard) {}

  /** One shard's share of the queue's limits (null: no limit). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PerShard(Double ratePerSecond, Integer maxConcurrency, Integer burst) {}

  /** The answer of {@code GET /queues}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QueueList(List<Queue> queues, List<String> partial) {}
}
