package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobList;
import dev.shardhook.api.JobStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class JobListingTest {
  private final List<String> asked = new ArrayList<>();

  /** Pages by cursor: an empty page that goes on, and a page that misses shard-1. */
  private final Map<String, JobList> pages =
      Map.of(
          "first",
          new JobList(List.of(job("c"), job("b")), "2", List.of("shard-1")),
          "2",
          new JobList(List.of(), "3"),
          "3",
          new JobList(List.of(job("a")), null));

  private JobListing listing() {
    return new JobListing(
        cursor -> {
          asked.add(cursor == null ? "first" : cursor);
          return pages.get(cursor == null ? "first" : cursor);
        });
  }

  private static Job job(String id) {
    return Responses.job(id, JobStatus.PENDING);
  }

  @Test
  void readsPagesThroughEmptyOnesAndCollectsPartialShards() {
    JobListing listing = listing();
    assertThat(asked).isEmpty();

    assertThat(listing).extracting(Job::id).containsExactly("c", "b", "a");

    assertThat(asked).containsExactly("first", "2", "3");
    assertThat(listing.partialShards()).containsExactly("shard-1");
  }

  @Test
  void eachIteratorStartsAgainAndEndsCleanly() {
    JobListing listing = listing();
    Iterator<Job> it = listing.iterator();
    assertThat(it.next().id()).isEqualTo("c");
    assertThat(listing.stream().map(Job::id).toList()).containsExactly("c", "b", "a");
    assertThat(it.next().id()).isEqualTo("b");
    assertThat(it.next().id()).isEqualTo("a");
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }
}
