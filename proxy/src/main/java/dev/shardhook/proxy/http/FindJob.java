package dev.shardhook.proxy.http;

import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.JobPaths;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET} and {@code DELETE /jobs/{id}}, {@code POST /jobs/{id}:replay}: asks the newest ring's
 * shard, and on 404 the shards of older epochs, newest first (docs/architecture.md §4). A shard
 * that cannot answer does not end the search, since the job may be on an older one, but it does
 * stop a 404: "not found" is only answered when every shard that may hold the job said so.
 */
record FindJob(EpochRings rings, Forwarder forwarder) {

  void get(Exchange exchange) {
    String id = JobPaths.id(exchange);
    PassOn.answer(exchange, find(id, NodeRequest.get(JobPaths.of(id), Credentials.of(exchange))));
  }

  void cancel(Exchange exchange) {
    String id = JobPaths.id(exchange);
    PassOn.answer(
        exchange, find(id, NodeRequest.delete(JobPaths.of(id), Credentials.of(exchange))));
  }

  /** {@code POST /jobs/{id}:replay}, found as a cancel is. */
  void replay(Exchange exchange) {
    String id = JobPaths.replayId(exchange);
    PassOn.answer(
        exchange,
        find(id, NodeRequest.replay(JobPaths.of(id, JobPaths.REPLAY), Credentials.of(exchange))));
  }

  private NodeAnswer find(String id, NodeRequest request) {
    NodeAnswer notFound = null;
    NodeAnswer unavailable = null;
    ProblemException failure = null;
    for (String shard : rings.homes(id)) {
      NodeAnswer answer;
      try {
        answer = forwarder.forward(shard, request);
      } catch (ProblemException e) {
        failure = failure == null ? e : failure;
        continue;
      }
      if (answer.status() == 404) {
        notFound = notFound == null ? answer : notFound;
      } else if (answer.status() == 503) {
        unavailable = unavailable == null ? answer : unavailable;
      } else {
        return answer;
      }
    }
    if (failure != null) {
      throw failure;
    }
    if (unavailable != null) {
      return unavailable;
    }
    return elsewhere(id, request).orElse(notFound);
  }

  /**
   * An ordered job lives on its key's shard, which its id need not hash to (README, "Ordering"):
   * when every home said 404, the other shards of the newest ring are asked too, one after the
   * other. This costs a truly unknown id one call per shard; ids the proxy drew for ordered jobs
   * hash to their key's shard and are found at once. Shards that do not hold it answer 404, or 421
   * for an id that is not theirs.
   */
  private Optional<NodeAnswer> elsewhere(String id, NodeRequest request) {
    List<String> homes = rings.homes(id);
    for (String shard : rings.newestShards()) {
      if (homes.contains(shard)) {
        continue;
      }
      try {
        NodeAnswer answer = forwarder.forward(shard, request);
        if (answer.status() != 404 && answer.status() != 421 && answer.status() != 503) {
          return Optional.of(answer);
        }
      } catch (ProblemException e) {
        // That shard cannot say; the job is most likely not there, and the homes said 404.
      }
    }
    return Optional.empty();
  }
}
