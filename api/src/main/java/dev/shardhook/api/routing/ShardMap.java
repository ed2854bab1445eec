package dev.shardhook.api.routing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shard map proxies and nodes share (docs/architecture.md §4): every shard with its node URLs,
 * and the ring epochs, oldest first. The newest epoch places new jobs; lookups also try the shards
 * older epochs place an id on. Immutable; every factory validates and throws {@link
 * InvalidShardMapException} with a one-line message naming what is wrong; {@link ShardMapFile}
 * reads one from a file.
 *
 * <p>Rules, chosen so that a map can only grow in ways that keep every job findable:
 *
 * <ul>
 *   <li>at least one shard; shard ids match {@code [A-Za-z0-9._-]{1,64}} (a node's {@code
 *       --shard-id}) and are unique;
 *   <li>each shard has at least one node; node URLs are absolute {@code http}/{@code https} with a
 *       host and no path, query, fragment or user info, and each belongs to one shard only;
 *   <li>no epochs given means one epoch, number 1, of every shard in the listed order; an empty
 *       list is an error, as it is most likely a mistake;
 *   <li>epoch numbers are positive and strictly increasing in listed order; an epoch lists known
 *       shards, each once;
 *   <li>a later epoch keeps every shard of the earlier ones and adds at least one: jobs stay on the
 *       shard that accepted them, so a shard can never leave the ring while an epoch remembers it;
 *   <li>every shard listed is in the newest epoch (a shard in no epoch would never be used).
 * </ul>
 *
 * <p>A node reads the map for placement only ({@link ShardMapFile#placementOnly}): its shards then
 * have no node URLs, and the rules about them are not checked.
 */
public final class ShardMap {
  /**
   * One shard: its id (a node's {@code --shard-id}) and the base URLs of its nodes' HTTP APIs.
   *
   * @param id the shard's id
   * @param nodes base URLs such as {@code http://10.0.0.5:8080}, normalised without a trailing
   *     slash
   */
  public record Shard(String id, List<URI> nodes) {
    public Shard {
      Objects.requireNonNull(id, "id");
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One ring epoch.
   *
   * @param number the epoch's number; later epochs have larger ones
   * @param shards the shards its ring spans
   */
  public record Epoch(long number, List<String> shards) {
    public Epoch {
      shards = List.copyOf(shards);
    }
  }

  private final List<Shard> shards;
  private final Map<String, Shard> byId;
  private final List<Epoch> epochs;

  private ShardMap(List<Shard> shards, List<Epoch> epochs) {
    this.shards = List.copyOf(shards);
    Map<String, Shard> index = new LinkedHashMap<>();
    shards.forEach(s -> index.put(s.id(), s));
    this.byId = index;
    this.epochs = List.copyOf(epochs);
  }

  /**
   * A validated map.
   *
   * @param epochs oldest first; null or absent means one epoch of every shard
   * @throws InvalidShardMapException naming the first rule broken
   */
  public static ShardMap of(List<Shard> shards, List<Epoch> epochs) {
    return checked(shards, epochs, true);
  }

  /** As {@link #of}, for placement only: node lists are neither required nor checked. */
  static ShardMap placement(List<Shard> shards, List<Epoch> epochs) {
    return checked(shards, epochs, false);
  }

  private static ShardMap checked(List<Shard> shards, List<Epoch> epochs, boolean withNodes) {
    List<Shard> normalised = ShardMapRules.checkShards(shards, withNodes);
    List<Epoch> resolved =
        epochs == null
            ? List.of(new Epoch(1, normalised.stream().map(Shard::id).toList()))
            : epochs;
    ShardMapRules.checkEpochs(normalised, resolved);
    return new ShardMap(normalised, resolved);
  }

  /** Every shard, in the order the map lists them. */
  public List<Shard> shards() {
    return shards;
  }

  public Optional<Shard> shard(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The epochs, oldest first; never empty. */
  public List<Epoch> epochs() {
    return epochs;
  }

  /** The epoch that places new jobs. */
  public Epoch newestEpoch() {
    return epochs.get(epochs.size() - 1);
  }

  @Override
  public String toString() {
    return "ShardMap" + byId.keySet() + " epochs " + epochs;
  }
}
