package dev.shardhook.node.http;

import dev.shardhook.api.JobList;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.ListFilter;
import dev.shardhook.api.ShardListCursor;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.ListParameters;
import java.util.List;

/** {@code GET /jobs}: a page of the caller's jobs on this shard, newest first. */
record ListJobs(JobService jobs) {

  void list(Exchange exchange) {
    String tenant = exchange.tenant();
    ListParameters asked = ListParameters.read(exchange);
    String key = asked.idempotencyKey();
    ShardListCursor cursor = asked.cursor() == null ? null : ShardListCursor.decode(asked.cursor());
    asked.checkNoCursorWithKey();
    ListFilter filter = cursor == null ? asked.filter() : asked.sameFilter(cursor.filter());
    // No stored job is RUNNING: only the leader knows an attempt is in flight.
    if (filter.status() == JobStatus.RUNNING) {
      exchange.sendJson(200, new JobList(List.of(), null));
      return;
    }
    JobQuery query =
        new JobQuery(
            tenant,
            filter.status() == null ? null : JobState.valueOf(filter.status().name()),
            filter.host(),
            filter.createdAfter(),
            filter.createdBefore(),
            key == null ? null : TenantIds.scoped(tenant, key),
            asked.limit(),
            cursor == null
                ? null
                : new JobQuery.Position(
                    cursor.createdAtMs(), TenantIds.scoped(tenant, cursor.id())),
            filter.queue());
    JobPage page = Await.result(jobs.list(query));
    String next =
        page.next() == null
            ? null
            : new ShardListCursor(
                    filter, page.next().createdAtMs(), TenantIds.publicId(page.next().id()))
                .encode();
    exchange.sendJson(200, new JobList(page.jobs().stream().map(WireJobs::job).toList(), next));
  }
}
