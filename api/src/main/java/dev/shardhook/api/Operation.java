package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A bulk operation and its progress, as {@code POST /jobs:replay} and {@code GET /operations/{id}}
 * answer it. A node answers for its shard; the proxy sums the shards' answers and lists each in
 * {@code shards}.
 *
 * @param id {@code op_} and 32 hex digits, derived from the tenant and the request's idempotency
 *     key, so every shard (and every retry) names the same operation
 * @param type {@code "replay"}
 * @param status {@link Status#RUNNING} while any shard still works on it
 * @param filter the jobs it takes
 * @param createdAt when it started (the earliest shard, through a proxy)
 * @param finishedAt when it finished (the latest shard), or null while it runs
 * @param replayed jobs it moved back to pending
 * @param skipped jobs it matched but left as they were (no longer replayable)
 * @param shards through a proxy: each shard's own answer by shard id; null from a node
 * @param partial through a proxy: shards that did not answer, whose counts are missing; null when
 *     every shard answered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Operation(
    String id,
    String type,
    Status status,
    ReplayFilter filter,
    Instant createdAt,
    Instant finishedAt,
    long replayed,
    long skipped,
    Map<String, Operation> shards,
    List<String> partial) {

  /** The type of bulk replays. */
  public static final String REPLAY = "replay";

  /** Where an operation is. */
  public enum Status {
    /** Still taking jobs. */
    RUNNING,
    /** Every matching job was taken. */
    SUCCEEDED
  }
}
