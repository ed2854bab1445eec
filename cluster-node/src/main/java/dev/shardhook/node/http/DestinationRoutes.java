package dev.shardhook.node.http;

import dev.shardhook.api.DestinationHosts;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.NodeDestinations;
import dev.shardhook.node.NodeState;
import dev.shardhook.support.auth.Role;
import dev.shardhook.support.http.Exchange;
import java.util.List;

/**
 * {@code GET /destinations} and {@code POST /destinations/{host}:enable} (README, "Destinations").
 * Health lives in the leader's dispatcher, so only the leader lists; a follower answers 503 and the
 * caller (a proxy) asks another node. Enabling goes through Raft from any node.
 */
record DestinationRoutes(NodeState state) {

  void list(Exchange exchange) {
    NodeDestinations d = destinations();
    if (!d.leads()) {
      throw new ShardUnavailableException(
          "this node is not the shard's leader, whose dispatcher knows the destinations; ask the"
              + " leader",
          null);
    }
    boolean admin = exchange.caller().role() == Role.ADMIN;
    exchange.sendJson(200, new DestinationList(d.list(exchange.tenant(), admin), List.of()));
  }

  void enable(Exchange exchange) {
    String host = DestinationHosts.enabledHost(exchange.path());
    boolean was = Await.result(destinations().enable(host));
    exchange.sendJson(200, new EnabledDestination(host, was, null, List.of()));
  }

  private NodeDestinations destinations() {
    return state
        .destinations()
        .orElseThrow(
            () -> new ShardUnavailableException("this node keeps no destination health", null));
  }
}
