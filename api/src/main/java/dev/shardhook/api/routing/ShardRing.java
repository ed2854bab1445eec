package dev.shardhook.api.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One ring epoch: the consistent hash that places a job id on a shard (docs/architecture.md §4).
 * Immutable and thread-safe.
 *
 * <p>Each shard owns {@value #VIRTUAL_NODES} points on a 64-bit circle, the {@link XxHash64} (seed
 * 0, UTF-8) of the labels {@code "<shardId>#0"} to {@code "<shardId>#999"}. A job id belongs to the
 * owner of the first point at or after its own hash, wrapping past the largest point to the
 * smallest; points compare as signed longs, which is still a circle. Adding a shard therefore moves
 * about {@code 1/(n+1)} of the ids, all of them onto the new shard.
 *
 * <p>The label format, the seed and the number of points are the routing contract shared by every
 * proxy and SDK: changing any of them moves jobs away from the shard that holds them. {@code
 * ShardRingTest} pins them with golden placements.
 */
public final class ShardRing {
  /** Points per shard. 1000 keeps three shards within about ±3% of an even split. */
  public static final int VIRTUAL_NODES = 1000;

  private final List<String> shards;
  private final long[] points;
  private final String[] owners;

  private ShardRing(List<String> shards, long[] points, String[] owners) {
    this.shards = shards;
    this.points = points;
    this.owners = owners;
  }

  /**
   * The ring of these shards. Their order does not change placement; it is kept for {@link
   * #shards()}.
   *
   * @throws IllegalArgumentException when the list is empty, or holds null, blank or duplicate ids
   */
  public static ShardRing of(List<String> shardIds) {
    Objects.requireNonNull(shardIds, "shardIds");
    if (shardIds.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one shard");
    }
    Set<String> seen = new HashSet<>();
    for (String id : shardIds) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("shard ids must not be null or blank");
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException("shard '" + id + "' is listed twice");
      }
    }

    List<Point> all = new ArrayList<>(shardIds.size() * VIRTUAL_NODES);
    for (String id : shardIds) {
      for (int v = 0; v < VIRTUAL_NODES; v++) {
        all.add(new Point(XxHash64.hashUtf8(id + "#" + v), id));
      }
    }
    // Ties (two labels with one hash) are astronomically rare; breaking them by shard id keeps the
    // ring a function of the set of shards, whatever order the map lists them in.
    all.sort(
        (a, b) -> a.hash != b.hash ? Long.compare(a.hash, b.hash) : a.owner.compareTo(b.owner));
    long[] points = new long[all.size()];
    String[] owners = new String[all.size()];
    int n = 0;
    for (Point p : all) {
      if (n > 0 && points[n - 1] == p.hash) {
        continue;
      }
      points[n] = p.hash;
      owners[n] = p.owner;
      n++;
    }
    return new ShardRing(List.copyOf(shardIds), Arrays.copyOf(points, n), Arrays.copyOf(owners, n));
  }

  /**
   * The shard that owns {@code jobId} on this ring; a job fired by a schedule goes with its
   * schedule ({@link ScheduleIds#ringKey}).
   */
  public String shardFor(String jobId) {
    long h = XxHash64.hashUtf8(ScheduleIds.ringKey(Objects.requireNonNull(jobId, "jobId")));
    int i = Arrays.binarySearch(points, h);
    if (i < 0) {
      i = -i - 1; // insertion point: the first point above h
    }
    return owners[i == points.length ? 0 : i];
  }

  /** The shards of this ring, in the order given. */
  public List<String> shards() {
    return shards;
  }

  @Override
  public String toString() {
    return "ShardRing" + shards;
  }

  private record Point(long hash, String owner) {}
}
