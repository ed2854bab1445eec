package dev.shardhook.node.http;

import dev.shardhook.api.DestinationHosts;
import dev.shardhook.node.NodeState;
import dev.shardhook.node.delivery.TargetGuard;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.ScheduleService;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.auth.Access;
import dev.shardhook.support.auth.TenantView;
import dev.shardhook.support.auth.TenantsSource;
import dev.shardhook.support.http.ApiServer;
import dev.shardhook.support.http.JobPaths;
import dev.shardhook.support.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The node's HTTP API (README, "HTTP API") on the server kit's Jetty server. Handlers run on
 * virtual threads, so they may block on the shard; Jetty's platform threads only select and accept.
 *
 * <p>Shutdown in two steps: {@link #stopAccepting()} closes the listening socket while requests in
 * flight finish, then {@link #close()} waits up to {@link #STOP_TIMEOUT} for them and stops.
 */
public final class NodeHttpServer implements Closeable {
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  static final String INTERNAL_DETAIL = "the node failed to handle the request; see its log";

  private final ApiServer server;

  private NodeHttpServer(ApiServer server) {
    this.server = server;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving, refusing job ids {@code
   * ownership} says are another shard's (421), and drawing generated ids on this shard; HTTPS when
   * {@code tls} is given.
   *
   * @param tenants the API keys requests are checked against, with each tenant's quotas
   * @param pendingOf a tenant's pending jobs on this shard, for its quota
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalStateException when Jetty fails to start for another reason
   */
  public static NodeHttpServer start(
      String host,
      int port,
      JobService jobs,
      NodeState state,
      PrometheusMeterRegistry registry,
      SubmitConfig config,
      Clock clock,
      ShardOwnership ownership,
      TenantsSource tenants,
      ToLongFunction<String> pendingOf,
      Optional<SslContextFactory.Server> tls) {
    return start(
        host, port, jobs, state, registry, config, clock, ownership, tenants, pendingOf, null, tls,
        null);
  }

  /**
   * As above, with the schedule routes (README, "Schedules") when {@code schedules} is not null,
   * and serving {@code /queues} and checking each job's queue when {@code queues} is given (README,
   * "Queues").
   */
  public static NodeHttpServer start(
      String host,
      int port,
      JobService jobs,
      NodeState state,
      PrometheusMeterRegistry registry,
      SubmitConfig config,
      Clock clock,
      ShardOwnership ownership,
      TenantsSource tenants,
      ToLongFunction<String> pendingOf,
      ScheduleService schedules,
      Optional<SslContextFactory.Server> tls,
      QueueBackend queues) {
    JobRequestValidator validator =
        new JobRequestValidator(
            config,
            new TargetGuard(config.allowPrivateTargets()),
            clock,
            ownership,
            queues == null ? null : queues.policies());
    TenantQuotas quotas =
        new TenantQuotas(tenants, pendingOf, state.status().shardId(), System::nanoTime);
    Submissions submissions =
        new Submissions(
            jobs, validator, quotas, new Rejections(config.maxPending()), new JobMetrics(registry));
    int max = config.maxRequestBytes();
    ReadJob read = new ReadJob(jobs, ownership);
    NodeEndpoints node = new NodeEndpoints(state, registry);
    BulkReplay bulk = new BulkReplay(jobs, max);
    Routes routes =
        new Routes(INTERNAL_DETAIL, tenants.authenticator())
            .on("POST", "/jobs", Access.SUBMIT, new CommitJob(submissions, max))
            .on("GET", "/jobs", Access.READ, new ListJobs(jobs)::list)
            .on("POST", "/jobs:batch", Access.SUBMIT, new CommitBatch(submissions, max))
            .on("POST", "/jobs:replay", Access.SUBMIT, bulk::start)
            .on("GET", "/health", Access.OPEN, node::health)
            .on("GET", "/ready", Access.OPEN, node::ready)
            .on("GET", "/status", Access.OPEN, node::status)
            .on("GET", "/metrics", Access.ANY_KEY, node::metrics)
            .on(
                "GET",
                "/tenants",
                Access.ADMIN,
                e -> e.sendJson(200, TenantView.of(tenants.get(), clock.instant())))
            .onPrefix("GET", JobPaths.PREFIX, JobPaths.TEMPLATE, Access.READ, read::get)
            .onPrefix("DELETE", JobPaths.PREFIX, JobPaths.TEMPLATE, Access.SUBMIT, read::cancel)
            .onPrefix(
                "POST",
                JobPaths.PREFIX,
                JobPaths.TEMPLATE,
                Access.SUBMIT,
                new ReplayJob(jobs, ownership, quotas, config.maxPending())::replay)
            .onPrefix("GET", BulkReplay.OPERATIONS, "/operations/{id}", Access.READ, bulk::get);
    if (schedules != null) {
      ScheduleEndpoints sch = new ScheduleEndpoints(schedules, validator, ownership, clock, max);
      String one = ScheduleEndpoints.PREFIX + "{id}";
      routes
          .on("POST", ScheduleEndpoints.PATH, Access.SUBMIT, sch::create)
          .on("GET", ScheduleEndpoints.PATH, Access.READ, sch::list)
          .onPrefix("GET", ScheduleEndpoints.PREFIX, one, Access.READ, sch::get)
          .onPrefix("DELETE", ScheduleEndpoints.PREFIX, one, Access.SUBMIT, sch::delete)
          .onPrefix("POST", ScheduleEndpoints.PREFIX, one, Access.SUBMIT, sch::action);
    }
    if (queues != null) {
      QueueEndpoints q = new QueueEndpoints(queues, config.defaultRetry(), max);
      routes
          .on("GET", "/queues", Access.READ, q::list)
          .onPrefix("GET", QueueEndpoints.PREFIX, QueueEndpoints.TEMPLATE, Access.READ, q::get)
          .onPrefix("PUT", QueueEndpoints.PREFIX, QueueEndpoints.TEMPLATE, Access.ADMIN, q::put)
          .onPrefix(
              "DELETE", QueueEndpoints.PREFIX, QueueEndpoints.TEMPLATE, Access.ADMIN, q::delete)
          .onPrefix(
              "POST", QueueEndpoints.PREFIX, QueueEndpoints.TEMPLATE, Access.ADMIN, q::action);
    }
    DestinationRoutes destinations = new DestinationRoutes(state);
    routes
        .on("GET", DestinationHosts.PATH, Access.READ, destinations::list)
        .onPrefix(
            "POST",
            DestinationHosts.PREFIX,
            DestinationHosts.TEMPLATE,
            Access.ADMIN,
            destinations::enable);
    if (tls.isPresent()) {
      routes.requireClientCertificates();
    }
    return new NodeHttpServer(ApiServer.start("node", host, port, routes, STOP_TIMEOUT, tls));
  }

  /** The bound port, also after {@link #stopAccepting()}. */
  public int port() {
    return server.port();
  }

  /**
   * Closes the listening socket: new connections are refused while requests in flight, and further
   * requests on connections already open, are still served until {@link #close()}.
   */
  public void stopAccepting() {
    server.stopAccepting();
  }

  /** Stops the server, giving requests in flight up to {@link #STOP_TIMEOUT} to finish. */
  @Override
  public void close() {
    server.close();
  }
}
