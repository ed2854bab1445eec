package dev.shardhook.node.http;

import dev.shardhook.api.DestinationHosts;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
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
    String host = hostOf(exchange.path());
    boolean was = Await.result(destinations().enable(host));
    exchange.sendJson(200, new EnabledDestination(host, was, null, List.of()));
  }

  /** The host of a {@code /destinations/{host}:enable} path. */
  static String hostOf(String path) {
    String rest = path.substring(DestinationHosts.PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon < 0 || !rest.substring(colon + 1).equals(DestinationHosts.ENABLE)) {
      throw new RouteNotFoundException(Printable.of(path));
    }
    String host = rest.substring(0, colon);
    if (!DestinationHosts.isValid(host)) {
      throw new BadRequestException(
          "destination: must be host:port (port 1 to 65535), got '" + Printable.of(host) + "'");
    }
    return host;
  }

  private NodeDestinations destinations() {
    return state
        .destinations()
        .orElseThrow(
            () -> new ShardUnavailableException("this node keeps no destination health", null));
  }
}
