package dev.shardhook.node;

import dev.shardhook.api.Destination;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What {@code GET /destinations} and {@code POST /destinations/{host}:enable} ask of the node. */
public interface NodeDestinations {
  /** Whether this node is the shard's ready leader, the one whose dispatcher knows the health. */
  boolean leads();

  /** The destinations {@code tenant} may see (every one when {@code everyTenant}), by host. */
  List<Destination> list(String tenant, boolean everyTenant);

  /** Enables {@code host} through Raft; completes with whether it was disabled, once committed. */
  CompletableFuture<Boolean> enable(String host);
}
