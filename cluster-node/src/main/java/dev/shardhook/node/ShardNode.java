package dev.shardhook.node;

import dev.shardhook.api.Destination;
import dev.shardhook.node.delivery.AttemptKey;
import dev.shardhook.node.delivery.DestinationPolicy;
import dev.shardhook.node.delivery.Dispatcher;
import dev.shardhook.node.delivery.WebhookDelivery;
import dev.shardhook.node.history.History;
import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.http.NodeHttpServer;
import dev.shardhook.node.http.QueueBackend;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.queue.QueueMetrics;
import dev.shardhook.node.queue.QueuePolicies;
import dev.shardhook.node.raft.Admission;
import dev.shardhook.node.raft.FollowerLagGauges;
import dev.shardhook.node.raft.LeaderListener;
import dev.shardhook.node.raft.OperationWorker;
import dev.shardhook.node.raft.RaftDestinations;
import dev.shardhook.node.raft.RaftExportProgress;
import dev.shardhook.node.raft.RaftJobService;
import dev.shardhook.node.raft.RaftOutcomeSink;
import dev.shardhook.node.raft.RaftQueueService;
import dev.shardhook.node.raft.RaftScheduleService;
import dev.shardhook.node.raft.RaftShard;
import dev.shardhook.node.raft.RetentionPurger;
import dev.shardhook.node.raft.ScheduleLoop;
import dev.shardhook.node.raft.ShardStateMachines;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.FreeSpace;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.OrderingGauges;
import dev.shardhook.node.store.StoreDueJobs;
import dev.shardhook.support.auth.TenantsSource;
import dev.shardhook.support.tls.TlsIdentity;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node of a shard: RocksDB store, Ratis server, leader-only dispatcher and the HTTP
 * API, wired together and shut down in order. {@link NodeMain} only parses flags and calls {@link
 * #start}.
 */
public final class ShardNode implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardNode.class);

  /** How long shutdown waits for outcomes of finished attempts to be proposed, at most. */
  static final Duration OUTCOME_DRAIN = Duration.ofSeconds(5);

  /** How long shutdown tries to hand leadership over, at most (usually a few hundred ms). */
  static final Duration LEADERSHIP_TRANSFER_TIMEOUT = Duration.ofSeconds(5);

  /** Closing Raft and RocksDB after the shutdown grace (usually well under a second). */
  static final Duration CLOSE_ALLOWANCE = Duration.ofSeconds(10);

  private static final Duration LEADER_EVENT_WAIT = Duration.ofSeconds(2);

  private final NodeConfig config;
  private final JobStore store;
  private final RaftShard shard;
  private final WebhookDelivery delivery;
  private final RaftOutcomeSink outcomes;
  private final Dispatcher dispatcher;
  private final RaftDestinations disabledDestinations;
  private final RaftJobService jobs;
  private final RetentionPurger purger;
  private final OperationWorker operations;
  private final ScheduleLoop schedules;
  private final RaftExportProgress exportProgress;
  // Null while history is off (README, "Job history").
  private History history;
  private final NodeHttpServer http;
  private final TenantsSource tenants;
  private final Optional<TlsIdentity> tls;
  // Ratis leader callbacks must not block: dispatcher starts and stops run here, in order.
  private final ExecutorService leaderEvents;
  private boolean closed;
  // Set first thing in close(): from then on leadership events never start the dispatcher.
  private volatile boolean stopping;
  private boolean raftClosed;

  private ShardNode(NodeConfig config, Clock clock, FreeSpace freeSpace) throws IOException {
    this.config = config;
    // First, before anything is opened: a bad map is a config error, not a half-started node.
    ShardOwnership ownership =
        config
            .shardMap()
            .map(file -> ShardOwnership.read(file, config.shardId()))
            .orElseGet(() -> ShardOwnership.sole(config.shardId()));
    this.tenants = TenantsSource.open(config.tenantsFile());
    // Also before anything is opened: unreadable TLS files are a config error too.
    this.tls = config.tls().map(TlsIdentity::load);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.leaderEvents =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("leader-events").factory());
    this.store = JobStore.open(config.dataDir().resolve("db"));
    this.shard = RaftShard.prepare(config.raft(), tls);
    this.delivery = new WebhookDelivery(config.delivery(), tenants);
    // The sink settles jobs back into the dispatcher, which needs the sink: break the cycle here.
    Dispatcher[] settleTo = new Dispatcher[1];
    this.outcomes = new RaftOutcomeSink(shard, id -> settleTo[0].outcomeSettled(id));
    this.disabledDestinations =
        new RaftDestinations(shard, store, config.groupCommit().commitTimeout());
    // Named queues (README, "Queues"): the dispatcher's gates and the submit path read them.
    QueuePolicies queuePolicies = new QueuePolicies(store);
    this.dispatcher =
        new Dispatcher(
            config.dispatch(),
            new StoreDueJobs(store),
            outcomes,
            delivery,
            clock,
            registry,
            // Each job's queue says whether it waits or fails while its destination is disabled.
            new DestinationPolicy(
                config.destinationDisableAfter(),
                disabledDestinations,
                queuePolicies::onDestinationDisabled));
    settleTo[0] = dispatcher;
    dispatcher.useQueues(queuePolicies);
    queuePolicies.reportTo(new QueueMetrics(registry, store, dispatcher::queueRunning));
    this.purger =
        new RetentionPurger(
            shard, store, config.retention(), clock, registry, config.history().enabled());
    this.operations =
        new OperationWorker(shard, store, () -> config.maxPending() - store.pending(), registry);
    this.exportProgress = new RaftExportProgress(shard, store, clock);
    this.schedules = new ScheduleLoop(shard, store, config.schedules(), clock, registry);
    HistoryConfig historyConfig = config.history();
    DiskReserve diskReserve = new DiskReserve(freeSpace, config.minFreeDiskBytes(), clock);
    try {
      // Before Raft starts: the first leadership event may start the exporter.
      if (historyConfig.enabled()) {
        this.history =
            History.open(
                historyConfig,
                config.dataDir(),
                config.shardId(),
                store,
                exportProgress,
                clock,
                () -> store.applied().map(JobStore.Applied::index).orElse(-1L),
                registry);
      }
      Admission admission = new Admission(store, config.maxPending());
      shard.start(
          ShardStateMachines.create(
              store,
              admission,
              config.shardId(),
              config.idempotencyWindow(),
              clock,
              new LeaderEvents(),
              diskReserve,
              historyConfig.enabled()));
      this.jobs = new RaftJobService(shard, store, admission, config.groupCommit(), diskReserve);
      JobService served = history == null ? jobs : history.over(jobs);
      RaftQueueService queueService = new RaftQueueService(jobs, clock);
      queuePolicies.catchUpWith(queueService::awaitCaughtUp);
      registerGauges(registry);
      this.http =
          NodeHttpServer.start(
              config.httpHost(),
              config.httpPort(),
              served,
              new State(),
              registry,
              config.submit(),
              clock,
              ownership,
              tenants,
              store::pendingOf,
              new RaftScheduleService(shard, store, jobs),
              // Proxies are the API's clients: each must present a certificate from the CA;
              // probes of the open routes need none.
              tls.map(TlsIdentity::serverFactoryAskingClientCertificates),
              new QueueBackend(queueService, queuePolicies, store, dispatcher::queueRunning));
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
    return start(config, clock, FreeSpace.of(config.dataDir()));
  }

  /**
   * As {@link #start(NodeConfig, Clock)} with the data disk's free space from {@code freeSpace}.
   */
  public static ShardNode start(NodeConfig config, Clock clock, FreeSpace freeSpace)
      throws IOException {
    return new ShardNode(config, clock, freeSpace);
  }

  public NodeConfig config() {
    return config;
  }

  /** The bound HTTP port (the configured one, or the one picked for port 0). */
  public int httpPort() {
    return http.port();
  }

  public NodeStatus status() {
    return shard.status(
        store.pending(), store.stored(), dispatcher.running(), dispatcher.inFlight());
  }

  /** The node's store, for tests that check what it holds. */
  JobStore store() {
    return store;
  }

  /** The node's job history, when on (tests). */
  Optional<History> history() {
    return Optional.ofNullable(history);
  }

  /** See {@link RaftShard#firstLogIndex()}. */
  long firstLogIndex() {
    return shard.firstLogIndex();
  }

  private void registerGauges(PrometheusMeterRegistry registry) {
    Gauge.builder("shardhook.pending", store, JobStore::pending)
        .description("Jobs waiting for an attempt on this shard (as applied on this node)")
        .register(registry);
    Gauge.builder("shardhook.stored.jobs", store, JobStore::stored)
        .description("Jobs of any status in this node's store, until their retention ends")
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
    Gauge.builder("shardhook.raft.unapplicable.entries", shard, RaftShard::unapplicableEntries)
        .description("Log entries skipped because applying them threw (the same on every replica)")
        .register(registry);
    FollowerLagGauges.register(registry, shard, config.raft());
    OrderingGauges.register(registry, store);
    Gauge.builder("shardhook.tenants.reload.failures", tenants, TenantsSource::failedReloads)
        .description(
            "Versions of the tenants file that could not be loaded (the last good one holds)")
        .register(registry);
    tls.ifPresent(
        t ->
            FunctionCounter.builder("shardhook.tls.reloads.failed", t, TlsIdentity::failedReloads)
                .description("Changes to the TLS files that could not be loaded (old ones kept)")
                .register(registry));
  }

  /**
   * Graceful stop (SIGTERM), within {@link NodeConfig#shutdownGrace()} before Raft and RocksDB
   * close: refuse new connections; stop starting attempts (for good: leadership regained during
   * close does not restart the dispatcher); if leading, hand leadership to a follower, so the shard
   * keeps delivering while this node finishes; let the running attempts finish and propose their
   * outcomes (to the new leader); then close Raft and flush RocksDB. Attempts still running when
   * the grace runs out are abandoned and run again by the next leader (at least once), and so may
   * those in flight at the transfer.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    LOG.info("node {} shutting down", config.nodeId());
    http.stopAccepting();
    try {
      stopDispatcherForGood();
      Duration transfer = min(LEADERSHIP_TRANSFER_TIMEOUT, dividedLeft(deadline, 2));
      if (!shard.transferLeadership(transfer)) {
        LOG.warn(
            "leadership not transferred within {}; the shard elects after Raft closes", transfer);
      }
      Duration attempts = left(deadline).minus(min(OUTCOME_DRAIN, dividedLeft(deadline, 4)));
      // drain logs what it abandons; after it the dispatcher never starts again
      dispatcher.drain(attempts);
      if (!outcomes.awaitDrained(left(deadline))) {
        LOG.warn("some attempt outcomes were not committed; those jobs run again");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
    LOG.info("node {} stopped", config.nodeId());
  }

  /**
   * Stops at once, as a crash looks to the rest of the shard: Raft closes first, with no leadership
   * transfer and no wait for the attempts under way, whose outcomes are lost (the next leader runs
   * those jobs again). For failure tests; operators stop a node with {@link #close}.
   */
  public synchronized void halt() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    LOG.warn(
        "node {} halting: no leadership transfer, attempts under way abandoned", config.nodeId());
    closeRaft();
    closeQuietly();
  }

  /**
   * The longest {@link #close} takes with this config: the shutdown grace, then closing Raft and
   * RocksDB. Orchestrators' kill timers (Compose {@code stop_grace_period}, Kubernetes {@code
   * terminationGracePeriodSeconds}) must be at least this.
   */
  public static Duration worstCaseShutdown(NodeConfig config) {
    return config.shutdownGrace().plus(CLOSE_ALLOWANCE);
  }

  /** Runs on the leader-event thread, so no dispatcher start queued before it can follow it. */
  private void stopDispatcherForGood() throws InterruptedException {
    stopping = true;
    try {
      leaderEvents
          .submit(dispatcher::stop)
          .get(LEADER_EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.warn("dispatcher stop on the leader-event thread failed; stopping it here", e);
    }
    dispatcher.stop();
  }

  private static Duration left(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static Duration dividedLeft(long deadlineNanos, int parts) {
    return left(deadlineNanos).dividedBy(parts);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void closeRaft() {
    if (raftClosed) {
      return;
    }
    raftClosed = true;
    try {
      shard.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Raft server did not close cleanly", e);
    }
  }

  private void closeQuietly() {
    if (http != null) {
      http.close();
    }
    if (jobs != null) {
      jobs.close();
    }
    outcomes.close();
    purger.close();
    operations.close();
    schedules.close();
    if (history != null) {
      history.close();
    }
    dispatcher.close();
    closeRaft();
    leaderEvents.shutdownNow();
    delivery.close();
    store.close();
    tenants.close();
    tls.ifPresent(TlsIdentity::close);
  }

  /** Turns Ratis leadership events into dispatcher starts and stops, off Ratis's threads. */
  private final class LeaderEvents implements LeaderListener {
    @Override
    public void leaderReady(long term) {
      onLeaderEvents(
          () -> {
            if (!stopping) {
              dispatcher.start(term, () -> shard.leads(term), () -> shard.holdsLease(term));
              purger.start(term);
              operations.start(term);
              schedules.start(term);
              exportProgress.start(term);
              if (history != null) {
                history.leaderReady(() -> shard.leads(term));
              }
            }
          });
    }

    @Override
    public void leadershipLost() {
      onLeaderEvents(dispatcher::stop);
      onLeaderEvents(purger::stop);
      onLeaderEvents(operations::stop);
      onLeaderEvents(schedules::stop);
      onLeaderEvents(exportProgress::stop);
      onLeaderEvents(
          () -> {
            if (history != null) {
              history.leadershipLost();
            }
          });
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

    @Override
    public Optional<String> downReason() {
      return shard.downReason();
    }

    @Override
    public Optional<NodeDestinations> destinations() {
      return Optional.of(
          new NodeDestinations() {
            @Override
            public boolean leads() {
              return shard.isLeaderReady();
            }

            @Override
            public List<Destination> list(String tenant, boolean everyTenant) {
              return dispatcher.destinations(tenant, everyTenant);
            }

            @Override
            public CompletableFuture<Boolean> enable(String host) {
              return disabledDestinations.enable(host);
            }
          });
    }
  }
}
