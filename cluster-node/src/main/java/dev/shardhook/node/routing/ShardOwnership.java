package dev.shardhook.node.routing;

import dev.shardhook.api.problem.MisdirectedRequestException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.routing.InvalidShardMapException;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.OrderingKeyRouting;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.api.routing.ShardMapFile;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.support.InvalidConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which job ids this node's shard may hold, under the ring epochs of the shard map the proxies use
 * (docs/architecture.md §4). A job stays on the shard that accepted it, so an id is this shard's
 * when any epoch's ring places it here; new ids this node draws itself must land here under the
 * newest ring, where every proxy will look for them first. Immutable and thread-safe.
 */
public final class ShardOwnership {
  private static final ShardMapFile PLACEMENT = ShardMapFile.json().placementOnly();

  /** Fresh ids drawn before giving up; a shard of the ring owns far more than 1/10,000 of it. */
  static final int MAX_DRAWS = 10_000;

  private final String shardId;
  private final List<ShardRing> newestFirst;

  private ShardOwnership(String shardId, List<ShardRing> newestFirst) {
    this.shardId = shardId;
    this.newestFirst = newestFirst;
  }

  /** No shard map: this node's shard is the only one, and every id is its own. */
  public static ShardOwnership sole(String shardId) {
    return new ShardOwnership(shardId, List.of(ShardRing.of(List.of(shardId))));
  }

  /**
   * The ownership the shard map {@code file} (JSON, the proxies' format) gives shard {@code
   * shardId}.
   *
   * @throws InvalidConfigException when the file cannot be read, is not a valid map, or does not
   *     list {@code shardId}
   */
  public static ShardOwnership read(Path file, String shardId) {
    try {
      return of(shardId, epochs(file));
    } catch (InvalidConfigException e) {
      throw new InvalidConfigException("shard-map " + file + ": " + e.getMessage());
    }
  }

  /**
   * Every epoch's shard ids, oldest first, read with the proxies' rules for them (node URLs are the
   * proxies' business); a map without {@code epochs} is one epoch of its shards in listed order.
   *
   * @throws InvalidConfigException naming what is wrong, without the file name
   */
  static List<List<String>> epochs(Path file) {
    String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      throw new InvalidConfigException(
          "the node reads JSON shard maps only; give it the map as .json");
    }
    try {
      return PLACEMENT.read(file).epochs().stream().map(ShardMap.Epoch::shards).toList();
    } catch (InvalidShardMapException e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }

  /**
   * @param epochsOldestFirst each epoch's shard ids, oldest epoch first; later epochs keep every
   *     shard of the earlier ones
   */
  static ShardOwnership of(String shardId, List<List<String>> epochsOldestFirst) {
    Objects.requireNonNull(shardId, "shardId");
    List<String> newest = epochsOldestFirst.getLast();
    if (!newest.contains(shardId)) {
      throw new InvalidConfigException(
          "this node's shard '"
              + shardId
              + "' is not in the map (its shards: "
              + String.join(", ", newest)
              + "); check --shard-id, or give the node the map the proxies use");
    }
    List<ShardRing> rings = new ArrayList<>();
    for (List<String> epoch : epochsOldestFirst.reversed()) {
      rings.add(ShardRing.of(epoch));
    }
    return new ShardOwnership(shardId, List.copyOf(rings));
  }

  public String shardId() {
    return shardId;
  }

  /** Whether some epoch's ring places {@code jobId} on this shard. */
  public boolean owns(String jobId) {
    for (ShardRing ring : newestFirst) {
      if (ring.shardFor(jobId).equals(shardId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether some epoch's ring places this tenant's ordering key on this shard: an ordered job lives
   * with its key, whatever its id (README, "Ordering").
   */
  public boolean ownsOrderingKey(String tenant, String orderingKey) {
    String input = OrderingKeyRouting.ringInput(tenant, orderingKey);
    for (ShardRing ring : newestFirst) {
      if (ring.shardFor(input).equals(shardId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @throws MisdirectedRequestException when the tenant's ordering key is not this shard's under
   *     any epoch
   */
  public void checkOrderingKey(String jobId, String tenant, String orderingKey) {
    if (!ownsOrderingKey(tenant, orderingKey)) {
      throw new MisdirectedRequestException(
          jobId,
          shardId,
          newestFirst.getFirst().shardFor(OrderingKeyRouting.ringInput(tenant, orderingKey)));
    }
  }

  /** The shard the newest ring places {@code jobId} on: where a new job with this id belongs. */
  public String newestOwner(String jobId) {
    return newestFirst.getFirst().shardFor(jobId);
  }

  /**
   * @throws MisdirectedRequestException when {@code jobId} is not this shard's under any epoch
   */
  public void check(String jobId) {
    if (!owns(jobId)) {
      throw new MisdirectedRequestException(jobId, shardId, newestOwner(jobId));
    }
  }

  /**
   * A fresh, time-ordered id that the newest ring places on this shard, so the proxies find it
   * where they look first.
   *
   * @throws ShardUnavailableException when {@value #MAX_DRAWS} draws all landed elsewhere
   */
  public String freshId(Clock clock) {
    for (int i = 0; i < MAX_DRAWS; i++) {
      String id = JobIds.generate(clock);
      if (newestOwner(id).equals(shardId)) {
        return id;
      }
    }
    throw new ShardUnavailableException(
        "no fresh job id out of " + MAX_DRAWS + " landed on shard '" + shardId + "'", null);
  }
}
