package dev.shardhook.proxy.http;

import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.JobPaths;

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
    return unavailable != null ? unavailable : notFound;
  }
}
