package dev.shardhook.proxy.listing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.ListFilter;
import dev.shardhook.api.ShardListCursor;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.proxy.upstream.ParallelCalls;
import dev.shardhook.proxy.upstream.UpstreamShard;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.ListParameters;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /jobs} on the proxy (README, "Listing jobs"): asks every shard not yet listed to the
 * end, in parallel, for a page after its own place, merges the pages newest first, and answers the
 * first {@code limit} jobs with a cursor holding each shard's new place. A shard that cannot answer
 * keeps its place and is named in {@code partial}; its jobs come on a later page.
 *
 * <p>The client's credentials go to each node, which scopes the listing to the caller's tenant.
 */
public final class ListAcrossShards {
  private static final Logger LOG = LoggerFactory.getLogger(ListAcrossShards.class);

  private final Upstreams upstreams;
  private final Forwarder forwarder;

  public ListAcrossShards(Upstreams upstreams, Forwarder forwarder) {
    this.upstreams = upstreams;
    this.forwarder = forwarder;
  }

  public void list(Exchange exchange) {
    ListParameters asked = ListParameters.read(exchange);
    MergedCursor cursor = asked.cursor() == null ? null : MergedCursor.decode(asked.cursor());
    asked.checkNoCursorWithKey();
    ListFilter filter = cursor == null ? asked.filter() : asked.sameFilter(cursor.filter());
    List<String> shards = upstreams.shards().stream().map(UpstreamShard::id).toList();
    if (cursor != null && !shards.containsAll(cursor.places().keySet())) {
      throw new BadRequestException(
          "cursor: names a shard this proxy does not know; start again without one");
    }
    // No stored job is RUNNING, as on a node: nothing to ask.
    if (filter.status() == JobStatus.RUNNING) {
      exchange.sendJson(200, answer(List.of(), null, List.of()));
      return;
    }
    Map<String, ShardPlace> before = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    for (String shard : shards) {
      ShardPlace place = cursor == null ? ShardPlace.TOP : cursor.place(shard);
      before.put(shard, place);
      if (!(place instanceof ShardPlace.Done)) {
        paths.put(shard, nodePath(asked, filter, place));
      }
    }
    Credentials credentials = Credentials.of(exchange);
    Map<String, ParallelCalls.Outcome<NodeAnswer>> outcomes =
        ParallelCalls.run(
            paths,
            Math.max(1, paths.size()),
            (shard, path) -> forwarder.forward(shard, NodeRequest.get(path, credentials)));
    Map<String, PageMerge.ShardPage> pages = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : outcomes.entrySet()) {
      String shard = e.getKey();
      NodeAnswer answer = e.getValue().value();
      if (answer != null && answer.status() >= 400 && answer.status() < 500) {
        // The caller's own fault (its key, its tenant, its parameters): every shard would say so.
        exchange.send(answer.status(), answer.contentType(), answer.headers(), answer.body());
        return;
      }
      PageMerge.ShardPage page = answer == null ? null : page(shard, answer);
      if (page == null) {
        Throwable failure = e.getValue().failure();
        LOG.warn(
            "listing: shard {} did not answer ({}); the page is partial",
            shard,
            failure != null ? failure.toString() : "status " + answer.status());
        partial.add(shard);
      } else {
        pages.put(shard, page);
      }
    }
    if (!paths.isEmpty() && pages.isEmpty()) {
      throw new ShardUnavailableException(
          "no shard could list its jobs (" + String.join(", ", partial) + ")", false);
    }
    PageMerge.Result merged = PageMerge.merge(asked.limit(), before, pages);
    String next =
        asked.idempotencyKey() != null || merged.finished()
            ? null
            : new MergedCursor(filter, merged.places()).encode();
    exchange.sendJson(200, answer(merged.jobs(), next, partial));
  }

  /**
   * The node request for the page after {@code place}: with a node cursor for that place, else with
   * the filter's parameters (the shard's newest jobs).
   */
  private static String nodePath(ListParameters asked, ListFilter filter, ShardPlace place) {
    StringJoiner query = new StringJoiner("&", "/jobs?", "");
    add(query, "limit", Integer.toString(asked.limit()));
    if (place instanceof ShardPlace.At at) {
      add(query, "cursor", new ShardListCursor(filter, at.createdAtMs(), at.id()).encode());
      return query.toString();
    }
    if (filter.status() != null) {
      add(query, "status", filter.status().name());
    }
    if (filter.host() != null) {
      add(query, "host", filter.host());
    }
    if (filter.createdAfter() != null) {
      add(query, "createdAfter", Instant.ofEpochMilli(filter.createdAfter()).toString());
    }
    if (filter.createdBefore() != null) {
      add(query, "createdBefore", Instant.ofEpochMilli(filter.createdBefore()).toString());
    }
    if (filter.queue() != null) {
      add(query, "queue", filter.queue());
    }
    if (asked.idempotencyKey() != null) {
      add(query, "idempotencyKey", asked.idempotencyKey());
    }
    return query.toString();
  }

  private static void add(StringJoiner query, String name, String value) {
    query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  /** The shard's page, or null when its answer is not a listing. */
  private static PageMerge.ShardPage page(String shard, NodeAnswer answer) {
    if (answer.status() != 200) {
      return null;
    }
    try {
      JsonNode tree = WireJson.mapper().readTree(answer.body());
      List<PageMerge.Listed> jobs = new ArrayList<>();
      for (JsonNode job : tree.path("jobs")) {
        jobs.add(
            new PageMerge.Listed(
                shard,
                job,
                Instant.parse(job.path("createdAt").asText()).toEpochMilli(),
                job.path("id").asText()));
      }
      JsonNode next = tree.path("nextCursor");
      ShardPlace.At stopped = null;
      if (next.isTextual()) {
        ShardListCursor cursor = ShardListCursor.decode(next.asText());
        stopped = new ShardPlace.At(cursor.createdAtMs(), cursor.id());
      }
      return new PageMerge.ShardPage(jobs, stopped);
    } catch (IOException | DateTimeParseException | ProblemException e) {
      LOG.warn("listing: shard {} answered a page the proxy cannot read: {}", shard, e.toString());
      return null;
    }
  }

  private static ObjectNode answer(List<PageMerge.Listed> jobs, String next, List<String> partial) {
    ObjectNode out = WireJson.mapper().createObjectNode();
    ArrayNode array = out.putArray("jobs");
    jobs.forEach(j -> array.add(j.job()));
    out.put("nextCursor", next);
    if (!partial.isEmpty()) {
      ArrayNode names = out.putArray("partial");
      partial.forEach(names::add);
    }
    return out;
  }
}
