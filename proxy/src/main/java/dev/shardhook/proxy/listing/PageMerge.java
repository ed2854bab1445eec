package dev.shardhook.proxy.listing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the pages the shards gave into the proxy's page, newest first, and works out where each
 * shard's next page starts. Each shard answered the {@code limit} newest jobs after its own place,
 * so the {@code limit} newest of all of them are the {@code limit} newest after the merged place:
 * no job can be skipped, provided the merge sorts exactly as the shards do.
 */
final class PageMerge {
  /**
   * The shards' order (their index keys scanned backwards): creation millisecond descending, then
   * the id's UTF-8 bytes descending. Ids are ASCII, so comparing them as strings is the same.
   */
  static final Comparator<Listed> NEWEST_FIRST =
      Comparator.comparingLong(Listed::createdAtMs).thenComparing(Listed::id).reversed();

  /**
   * One job a shard listed.
   *
   * @param job as the node wrote it, passed on unchanged
   * @param createdAtMs its creation time in epoch milliseconds (the index's precision)
   * @param id its public id
   */
  record Listed(String shard, JsonNode job, long createdAtMs, String id) {}

  /**
   * A shard's page.
   *
   * @param jobs newest first
   * @param next where the shard stopped reading (its next cursor's position; may be past its last
   *     job when it skipped entries that did not match), or null when it has nothing older
   */
  record ShardPage(List<Listed> jobs, ShardPlace.At next) {}

  /**
   * @param jobs the merged page
   * @param places where every shard's next page starts
   */
  record Result(List<Listed> jobs, Map<String, ShardPlace> places) {
    boolean finished() {
      return places.values().stream().allMatch(p -> p instanceof ShardPlace.Done);
    }
  }

  private PageMerge() {}

  /**
   * @param limit the most jobs on the merged page
   * @param before every shard's place before this page, in the map's order
   * @param pages the pages of the shards that answered; the others keep their place
   */
  static Result merge(int limit, Map<String, ShardPlace> before, Map<String, ShardPage> pages) {
    List<Listed> all = new ArrayList<>();
    pages.values().forEach(p -> all.addAll(p.jobs()));
    all.sort(NEWEST_FIRST);
    List<Listed> taken = List.copyOf(all.subList(0, Math.min(limit, all.size())));
    Map<String, Integer> takenCount = new HashMap<>();
    taken.forEach(job -> takenCount.merge(job.shard(), 1, Integer::sum));
    ShardPlace.At boundary =
        taken.isEmpty()
            ? null
            : new ShardPlace.At(taken.getLast().createdAtMs(), taken.getLast().id());
    Map<String, ShardPlace> after = new LinkedHashMap<>(before);
    pages.forEach(
        (shard, page) -> {
          int count = takenCount.getOrDefault(shard, 0);
          if (count == page.jobs().size() && page.next() == null) {
            after.put(shard, ShardPlace.DONE);
          } else {
            after.put(shard, newer(boundary, page.next()));
          }
        });
    return new Result(taken, after);
  }

  /**
   * Where a shard that answered goes on from: every job of it newer than the merged page's last job
   * was taken, and it read nothing older than its own {@code next}, so whichever of the two is
   * newer. Going on from the merged boundary, not from the shard's own last job, also keeps a shard
   * none of whose jobs made the page from listing jobs created after the page was served.
   */
  private static ShardPlace.At newer(ShardPlace.At boundary, ShardPlace.At next) {
    if (boundary == null || next == null) {
      return boundary == null ? next : boundary;
    }
    return compareNewestFirst(boundary, next) <= 0 ? boundary : next;
  }

  /** Negative when {@code a} comes before {@code b} in the listing (is newer). */
  static int compareNewestFirst(ShardPlace.At a, ShardPlace.At b) {
    int byTime = Long.compare(b.createdAtMs(), a.createdAtMs());
    return byTime != 0 ? byTime : b.id().compareTo(a.id());
  }
}
