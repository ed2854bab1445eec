package dev.shardhook.perf;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Finds a shard's leader in the sandbox by asking each node's {@code GET /status}. */
final class LeaderWatch implements AutoCloseable {
  private final Sandbox sandbox;
  private final StatusProbe probe = new StatusProbe(Duration.ofSeconds(1));

  LeaderWatch(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /** The node of {@code shard} that is a ready leader now, other than {@code except} (nullable). */
  Optional<String> leader(String shard, String except) throws IOException, InterruptedException {
    SandboxTopology.Shard nodes =
        sandbox.topology().shard(shard).orElseThrow(() -> new IOException("no shard " + shard));
    for (SandboxTopology.Process node : nodes.nodes()) {
      if (node.id().equals(except)) {
        continue;
      }
      Optional<StatusProbe.NodeStatus> status = probe.status(node.url());
      if (status.isPresent() && status.get().isReadyLeader()) {
        return Optional.of(node.id());
      }
    }
    return Optional.empty();
  }

  /**
   * The attempts in flight on node {@code nodeId} ({@code running}); empty if it does not answer.
   */
  OptionalInt running(String nodeId) throws IOException, InterruptedException {
    SandboxTopology.Process node =
        sandbox.topology().node(nodeId).orElseThrow(() -> new IOException("no node " + nodeId));
    return probe
        .status(node.url())
        .map(s -> OptionalInt.of(s.running()))
        .orElse(OptionalInt.empty());
  }

  /** Waits until {@code shard} has a ready leader other than {@code except}. */
  Optional<String> awaitLeader(String shard, String except, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> leader = leader(shard, except);
      if (leader.isPresent() || System.nanoTime() > deadline) {
        return leader;
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    probe.close();
  }
}
