package dev.shardhook.client;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The caller's jobs that match a {@link JobQuery}, newest first, as {@link
 * ShardhookClient#list(JobQuery)} returns them. Nothing is fetched until iteration starts; each
 * page ({@link JobQuery#pageSize()} jobs) is fetched when iteration reaches it, so stopping early
 * costs only the pages read. Each {@link #iterator()} starts again from the newest job.
 *
 * <p>Paging is stable: jobs created after the first page was fetched do not appear, and no job is
 * listed twice. Through a proxy, a shard that did not answer is left out of a page and its jobs
 * come on a later one; {@link #partialShards()} names such shards.
 *
 * <p>Fetching a page may throw what {@link ShardhookClient#get(String)} throws (unchecked), from
 * {@code hasNext()} or {@code next()}. Iterators are not thread-safe; the listing itself is.
 */
public final class JobListing implements Iterable<Job> {
  private final Function<String, JobList> fetchPage;
  private final Set<String> partial = Collections.synchronizedSet(new LinkedHashSet<>());

  /**
   * @param fetchPage the page after a cursor (null for the first page)
   */
  JobListing(Function<String, JobList> fetchPage) {
    this.fetchPage = fetchPage;
  }

  @Override
  public Iterator<Job> iterator() {
    return new Pages();
  }

  /** The jobs as a sequential stream, fetched page by page as the stream is consumed. */
  public Stream<Job> stream() {
    return StreamSupport.stream(spliterator(), false);
  }

  /**
   * The shards that did not answer some page fetched so far (through a proxy: {@code "partial"}),
   * in the order first seen. Their jobs missing from that page come on a later page of the same
   * iteration, out of order; empty when every page was complete.
   */
  public Set<String> partialShards() {
    synchronized (partial) {
      return Set.copyOf(partial);
    }
  }

  private final class Pages implements Iterator<Job> {
    private List<Job> page = List.of();
    private int at;
    private String cursor;
    private boolean started;

    @Override
    public boolean hasNext() {
      // A page may be empty yet have a next cursor (a shard that skipped a long run of entries).
      while (at == page.size() && (!started || cursor != null)) {
        JobList list = fetchPage.apply(cursor);
        started = true;
        partial.addAll(list.partial());
        page = list.jobs();
        at = 0;
        cursor = list.nextCursor();
      }
      return at < page.size();
    }

    @Override
    public Job next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.get(at++);
    }
  }
}
