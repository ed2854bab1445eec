package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /destinations/{host}:enable}: the destination is enabled (again).
 *
 * @param host {@code host:port}
 * @param wasDisabled whether it was disabled before (through a proxy: on any shard)
 * @param shards through a proxy: each shard's answer by shard id; null from a node
 * @param partial through a proxy: shards that did not answer (enable again to be sure); empty, and
 *     left out of the JSON, when every shard did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnabledDestination(
    String host,
    boolean wasDisabled,
    Map<String, EnabledDestination> shards,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partial) {
  public EnabledDestination {
    partial = partial == null ? List.of() : List.copyOf(partial);
  }
}
