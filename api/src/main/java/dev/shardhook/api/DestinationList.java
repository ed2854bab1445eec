package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /destinations}: the destinations the caller may see, by host.
 *
 * @param destinations one entry per {@code host:port}, sorted by host
 * @param partial through a proxy: the shards that did not answer; empty, and left out of the JSON,
 *     when every shard did
 */
public record DestinationList(
    List<Destination> destinations,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partial) {
  public DestinationList {
    destinations = destinations == null ? List.of() : List.copyOf(destinations);
    partial = partial == null ? List.of() : List.copyOf(partial);
  }
}
