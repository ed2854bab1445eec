package dev.shardhook.proxy.listing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageMergeTest {

  private static PageMerge.Listed job(String shard, long ms, String id) {
    return new PageMerge.Listed(shard, JsonNodeFactory.instance.textNode(id), ms, id);
  }

  private static List<String> ids(List<PageMerge.Listed> jobs) {
    return jobs.stream().map(PageMerge.Listed::id).toList();
  }

  @Test
  void ordersByTimeThenIdDescendingAsTheShardsDo() {
    Map<String, ShardPlace> before = new LinkedHashMap<>();
    before.put("s0", ShardPlace.TOP);
    before.put("s1", ShardPlace.TOP);
    Map<String, PageMerge.ShardPage> pages = new LinkedHashMap<>();
    pages.put("s0", new PageMerge.ShardPage(List.of(job("s0", 5, "b"), job("s0", 3, "z")), null));
    pages.put("s1", new PageMerge.ShardPage(List.of(job("s1", 5, "c"), job("s1", 5, "a")), null));

    PageMerge.Result r = PageMerge.merge(3, before, pages);

    assertThat(ids(r.jobs())).containsExactly("c", "b", "a");
    // s1 gave everything it had: done. s0 goes on after the page's last job.
    assertThat(r.places()).containsEntry("s1", ShardPlace.DONE);
    assertThat(r.places()).containsEntry("s0", new ShardPlace.At(5, "a"));
    assertThat(r.finished()).isFalse();
  }

  @Test
  void aShardWithoutAnswerKeepsItsPlace() {
    Map<String, ShardPlace> before = new LinkedHashMap<>();
    before.put("s0", new ShardPlace.At(9, "x"));
    before.put("s1", ShardPlace.TOP);
    Map<String, PageMerge.ShardPage> pages =
        Map.of("s0", new PageMerge.ShardPage(List.of(job("s0", 8, "y")), null));

    PageMerge.Result r = PageMerge.merge(5, before, pages);

    assertThat(ids(r.jobs())).containsExactly("y");
    assertThat(r.places()).containsEntry("s0", ShardPlace.DONE).containsEntry("s1", ShardPlace.TOP);
  }

  @Test
  void aShardThatStoppedReadingEarlyGoesOnFromWhereItStopped() {
    // s1 skipped non-matching entries down to (7, "q") without finding a job: jobs of s1 between
    // (7, "q") and the page's end are still unread, so it must not jump to the page's end.
    Map<String, ShardPlace> before = new LinkedHashMap<>();
    before.put("s0", ShardPlace.TOP);
    before.put("s1", ShardPlace.TOP);
    Map<String, PageMerge.ShardPage> pages = new LinkedHashMap<>();
    pages.put(
        "s0",
        new PageMerge.ShardPage(
            List.of(job("s0", 9, "a"), job("s0", 2, "b")), new ShardPlace.At(2, "b")));
    pages.put("s1", new PageMerge.ShardPage(List.of(), new ShardPlace.At(7, "q")));

    PageMerge.Result r = PageMerge.merge(2, before, pages);

    assertThat(r.places()).containsEntry("s1", new ShardPlace.At(7, "q"));
    assertThat(r.places()).containsEntry("s0", new ShardPlace.At(2, "b"));
  }

  /** Paging the merge of random shards page by page lists every job once, newest first. */
  @Test
  void pagingRandomShardsListsEveryJobOnceInOrder() {
    Random random = new Random(42);
    Map<String, List<PageMerge.Listed>> shards = new LinkedHashMap<>();
    List<PageMerge.Listed> everything = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<PageMerge.Listed> jobs = new ArrayList<>();
      for (int i = 0; i < 40 + random.nextInt(40); i++) {
        jobs.add(job("s" + s, random.nextInt(30), "j" + s + "-" + i));
      }
      jobs.sort(PageMerge.NEWEST_FIRST);
      shards.put("s" + s, jobs);
      everything.addAll(jobs);
    }
    everything.sort(PageMerge.NEWEST_FIRST);
    for (int limit : new int[] {1, 3, 7, 50}) {
      Map<String, ShardPlace> places = new LinkedHashMap<>();
      shards.keySet().forEach(s -> places.put(s, ShardPlace.TOP));
      List<PageMerge.Listed> listed = new ArrayList<>();
      for (int page = 0; page < 1000; page++) {
        Map<String, PageMerge.ShardPage> pages = new LinkedHashMap<>();
        for (Map.Entry<String, ShardPlace> e : places.entrySet()) {
          if (!(e.getValue() instanceof ShardPlace.Done)) {
            pages.put(e.getKey(), shardPage(shards.get(e.getKey()), e.getValue(), limit));
          }
        }
        PageMerge.Result r = PageMerge.merge(limit, places, pages);
        listed.addAll(r.jobs());
        places.putAll(r.places());
        if (r.finished()) {
          break;
        }
      }
      assertThat(ids(listed)).as("limit " + limit).isEqualTo(ids(everything));
    }
  }

  /** What a node answers: up to {@code limit} jobs after {@code place}. */
  private static PageMerge.ShardPage shardPage(
      List<PageMerge.Listed> jobs, ShardPlace place, int limit) {
    List<PageMerge.Listed> after =
        jobs.stream()
            .filter(
                j ->
                    !(place instanceof ShardPlace.At at)
                        || PageMerge.compareNewestFirst(
                                at, new ShardPlace.At(j.createdAtMs(), j.id()))
                            < 0)
            .toList();
    List<PageMerge.Listed> page = after.subList(0, Math.min(limit, after.size()));
    ShardPlace.At next =
        after.size() > limit
            ? new ShardPlace.At(page.getLast().createdAtMs(), page.getLast().id())
            : null;
    return new PageMerge.ShardPage(page, next);
  }
}
