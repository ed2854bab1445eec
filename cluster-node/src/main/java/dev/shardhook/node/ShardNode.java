package dev.shardhook.node;

import dev.shardhook.node.delivery.AttemptKey;
import dev.shardhook.node.delivery.Dispatcher;
import dev.shardhook.node.delivery.WebhookDelivery;
import dev.shardhook.node.http.NodeHttpServer;
import dev.shardhook.node.raft.LeaderListener;
import dev.shardhook.node.raft.RaftJobService;
import dev.shardhook.node.raft.RaftOutcomeSink;
import dev.shardhook.node.raft.RaftShard;
import dev.shardhook.node.raft.ShardStateMachines;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreDueJobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node of a shard: RocksDB store, Ratis server, leader-only dispatcher and the HTTP
 * API, wired together and shut down in order. {@link NodeMain} only parses flags and calls {@link
 * #start}.
 */
public final class ShardNode implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardNode.class);

  /** How long shutdown waits for outcomes of finished attempts to be proposed. */
  static final Duration OUTCOME_DRAIN = Duration.ofSeconds(5);

  private final NodeConfig config;
  private final JobStore store;
  private final RaftShard shard;
  private final WebhookDelivery delivery;
  private final RaftOutcomeSink outcomes;
  private final Dispatcher dispatcher;
  private final RaftJobService jobs;
  private final NodeHttpServer http;
  // Ratis leader callbacks must not block: dispatcher starts and stops run here, in order.
  private final ExecutorService leaderEvents;
  private boolean closed;

  private ShardNode(NodeConfig config, Clock clock) throws IOException {
    this.config = config;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.leaderEvents =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("leader-events").factory());
    this.store = JobStore.open(config.dataDir().resolve("db"));
    this.shard = RaftShard.prepare(config);
    this.delivery = new WebhookDelivery(config);
    // The sink settles jobs back into the dispatcher, which needs the sink: break the cycle here.
    Dispatcher[] settleTo = new Dispatcher[1];
    this.outcomes = new RaftOutcomeSink(shard, id -> settleTo[0].outcomeSettled(id));
    this.dispatcher =
        new Dispatcher(config, new StoreDueJobs(store), outcomes, delivery, clock, registry);
    settleTo[0] = dispatcher;
    try {
      shard.start(ShardStateMachines.create(store, config, clock, new LeaderEvents()));
      this.jobs = new RaftJobService(shard, store, config);
      registerGauges(registry);
      this.http =
          NodeHttpServer.start(
              config.httpHost(), config.httpPort(), jobs, new State(), registry, config, clock);
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
    LOG.info(
        "node {} of {} serving HTTP on {}:{}, Raft on {}",
        config.nodeId(),
        config.shardId(),
        config.httpHost(),
        http.port(),
        config.self().address());
  }

  /** Opens the store, starts the Raft server and the HTTP API. */
  public static ShardNode start(NodeConfig config) throws IOException {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(NodeConfig)} with an injected clock (tests). */
  public static ShardNode start(NodeConfig config, Clock clock) throws IOException {
    return new ShardNode(config, clock);
  }

  public NodeConfig config() {
    return config;
  }

  /** The bound HTTP port (the configured one, or the one picked for port 0). */
  public int httpPort() {
    return http.port();
  }

  public NodeStatus status() {
    return shard.status(store.pending(), dispatcher.running());
  }

  /** See {@link RaftShard#firstLogIndex()}. */
  long firstLogIndex() {
    return shard.firstLogIndex();
  }

  private void registerGauges(PrometheusMeterRegistry registry) {
    Gauge.builder("shardhook.pending", store, JobStore::pending)
        .description("Jobs waiting for an attempt on this shard (as applied on this node)")
        .register(registry);
    Gauge.builder("shardhook.raft.term", this, n -> n.status().term())
        .description("Current Raft term")
        .register(registry);
    Gauge.builder("shardhook.raft.leader", this, n -> n.status().leaderReady() ? 1 : 0)
        .description("1 while this node is the shard's ready leader")
        .register(registry);
    Gauge.builder("shardhook.raft.commit.index", this, n -> n.status().commitIndex())
        .description("Last committed Raft log index")
        .register(registry);
  }

  /**
   * Graceful stop (SIGTERM): refuse new connections, stop starting attempts, let the running ones
   * finish for up to {@link NodeConfig#shutdownGrace()}, propose their outcomes, then close Raft
   * and flush RocksDB. Attempts still running after the grace period are abandoned and run again by
   * the next leader (at least once).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("node {} shutting down", config.nodeId());
    http.stopAccepting();
    try {
      // drain logs what it abandons; after it the dispatcher never starts again
      dispatcher.drain(config.shutdownGrace());
      if (!outcomes.awaitDrained(OUTCOME_DRAIN)) {
        LOG.warn("some attempt outcomes were not committed; those jobs run again");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
    LOG.info("node {} stopped", config.nodeId());
  }

  private void closeQuietly() {
    if (http != null) {
      http.close();
    }
    if (jobs != null) {
      jobs.close();
    }
    outcomes.close();
    dispatcher.close();
    try {
      shard.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Raft server did not close cleanly", e);
    }
    leaderEvents.shutdownNow();
    delivery.close();
    store.close();
  }

  /** Turns Ratis leadership events into dispatcher starts and stops, off Ratis's threads. */
  private final class LeaderEvents implements LeaderListener {
    @Override
    public void leaderReady(long term) {
      onLeaderEvents(
          () -> dispatcher.start(term, () -> shard.leads(term), () -> shard.holdsLease(term)));
    }

    @Override
    public void leadershipLost() {
      onLeaderEvents(dispatcher::stop);
    }

    private void onLeaderEvents(Runnable task) {
      try {
        leaderEvents.execute(task);
      } catch (RejectedExecutionException e) {
        // shutting down: close() stops the dispatcher itself
      }
    }

    @Override
    public void outcomesSettled(List<AttemptKey> attempts) {
      attempts.forEach(dispatcher::outcomeSettled);
    }

    @Override
    public void dueWorkChanged() {
      dispatcher.wake();
    }
  }

  private final class State implements NodeState {
    @Override
    public NodeStatus status() {
      return ShardNode.this.status();
    }

    @Override
    public Optional<String> notReadyReason() {
      return shard.notReadyReason();
    }
  }
}
