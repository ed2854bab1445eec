package dev.shardhook.client;

import dev.shardhook.api.Destination;
import dev.shardhook.api.DestinationHosts;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobList;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobRules;
import dev.shardhook.api.Operation;
import dev.shardhook.api.Queue;
import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleList;
import dev.shardhook.api.ScheduleRequest;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.OperationIds;
import dev.shardhook.api.routing.ScheduleIds;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * A client of the Shardhook job API (a proxy, a load balancer in front of proxies, or the nodes of
 * one shard). Immutable and thread-safe: build one, share it, and {@link #close()} it when done.
 *
 * <pre>{@code
 * try (ShardhookClient client =
 *     ShardhookClient.builder().endpoint(URI.create("http://127.0.0.1:8080")).build()) {
 *   Job job = client.submit(JobRequest.builder(URI.create("https://example.com/hook")).build());
 *   Job done = client.awaitCompletion(job.id(), Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p><b>Retries.</b> Each call is retried as {@link ClientRetryConfig} says: after no answer, 429
 * and 503, honouring {@code Retry-After}, within a total deadline, moving on to the next endpoint
 * when one is unreachable or unavailable. Other failures are thrown at once as the matching {@link
 * ShardhookException}.
 *
 * <p><b>Idempotency.</b> Every submit carries an {@code Idempotency-Key}: the request's own, or one
 * the client generates once per {@link #submit} (per item in {@link #submitAll}) and sends on every
 * attempt. A retry of a submit the shard already accepted is answered with the original job, so the
 * client's retries never create a second job.
 *
 * <p><b>Threads.</b> Blocking methods run on the caller's thread. Each {@code *Async} method runs
 * the blocking one on a new virtual thread; cancelling its future interrupts that thread.
 */
public final class ShardhookClient implements AutoCloseable {
  /** Connect timeout of one attempt. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Read timeout of one attempt (between bytes of the answer). */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** Write timeout of one attempt (between bytes of the request). */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final List<URI> endpoints;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final String apiKey;
  private final ClientRetryConfig retryConfig;
  private final OkHttpClient suppliedHttp;
  private final Clock clock;
  private final Sleeper sleeper;

  private final OkHttpClient http;
  private final RetryingTransport transport;
  private final SubmitBatches batches;
  private final CompletionPoller poller;
  private final VirtualThreadCalls asyncCalls = new VirtualThreadCalls();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ShardhookClient(Builder b) {
    this.endpoints = List.copyOf(b.endpoints);
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.writeTimeout = b.writeTimeout;
    this.apiKey = b.apiKey;
    this.retryConfig = b.retryConfig;
    this.suppliedHttp = b.okHttpClient;
    this.clock = b.clock;
    this.sleeper = b.sleeper;

    Endpoints targets = new Endpoints(endpoints);
    // newBuilder() shares the supplied client's connection pool and dispatcher; only this copy's
    // settings differ, so a supplied client is borrowed, never changed.
    OkHttpClient.Builder base =
        suppliedHttp != null ? suppliedHttp.newBuilder() : new OkHttpClient.Builder();
    this.http =
        base.connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(writeTimeout)
            .addInterceptor(new ClientHeadersInterceptor(apiKey))
            .build();
    this.transport =
        new RetryingTransport(new HttpTransport(http, targets, clock), retryConfig, clock, sleeper);
    this.batches = new SubmitBatches(transport);
    this.poller = new CompletionPoller(clock, sleeper, retryConfig.totalDeadline());
  }

  /** A builder with the {@code DEFAULT_*} settings and no endpoint yet. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with this client's settings, to make a variant. A variant shares a caller-supplied
   * {@link OkHttpClient}; otherwise it creates (and closes) its own.
   */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /**
   * Submits one job ({@code POST /jobs}).
   *
   * @return the job as accepted; the original job if this request was accepted before
   * @throws ShardhookException.InvalidJob if the shard refuses the request (400, 413)
   * @throws ShardhookException.IdempotencyMismatch if its id or key was used for another request
   * @throws ShardhookException.QueueFull if the shard stayed full until the deadline
   * @throws ShardhookException.Unavailable if no endpoint could take it until the deadline
   * @throws IllegalStateException if this client is closed
   */
  public Job submit(JobRequest request) {
    Objects.requireNonNull(request, "request");
    checkOpen();
    String key = SubmitBatches.keyFor(request);
    ApiCall call = ApiCall.post("jobs", ClientJson.write(request), key);
    return ClientJson.read(call, transport.execute(call), Job.class);
  }

  /** {@link #submit} on a virtual thread; the future fails with what it would throw. */
  public CompletableFuture<Job> submitAsync(JobRequest request) {
    return async(() -> submit(request));
  }

  /**
   * Submits many jobs with {@code POST /jobs:batch}, in as many calls as the shard's limits need
   * (at most 1000 jobs and about 1 MiB per call). Each item carries its own idempotency key, so a
   * retried call replays the jobs it had already created.
   *
   * <p>Never throws for a refused item or a failed call: every request gets a {@link SubmitResult},
   * in order, and the items of a call that failed as a whole carry that call's error.
   *
   * @throws IllegalStateException if this client is closed
   */
  public List<SubmitResult> submitAll(List<JobRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    checkOpen();
    return batches.submit(requests);
  }

  /** {@link #submitAll} on a virtual thread. */
  public CompletableFuture<List<SubmitResult>> submitAllAsync(List<JobRequest> requests) {
    return async(() -> submitAll(requests));
  }

  /**
   * Reads a job ({@code GET /jobs/{id}}).
   *
   * @return the job, or empty if the shard has no job with that id
   * @throws IllegalArgumentException if {@code id} cannot be a job id
   * @throws ShardhookException.Unavailable if no endpoint answered until the deadline
   * @throws IllegalStateException if this client is closed
   */
  public Optional<Job> get(String id) {
    return get(id, clock.instant().plus(retryConfig.totalDeadline()));
  }

  /** {@link #get} on a virtual thread. */
  public CompletableFuture<Optional<Job>> getAsync(String id) {
    return async(() -> get(id));
  }

  /**
   * Lists the caller's jobs that match {@code query}, newest first ({@code GET /jobs}, README
   * "Listing jobs"). Through a proxy the listing covers every shard. Nothing is sent until the
   * result is iterated; each page is fetched, with this client's retries, when iteration reaches
   * it.
   *
   * @throws IllegalStateException if this client is closed (also when a page is fetched later)
   */
  public JobListing list(JobQuery query) {
    Objects.requireNonNull(query, "query");
    checkOpen();
    return new JobListing(cursor -> listPage(query, cursor));
  }

  private JobList listPage(JobQuery query, String cursor) {
    checkOpen();
    Map<String, String> parameters = new LinkedHashMap<>(query.filterParameters());
    parameters.put("limit", Integer.toString(query.pageSize()));
    if (cursor != null) {
      parameters.put("cursor", cursor);
    }
    ApiCall call = ApiCall.list(parameters);
    return ClientJson.read(call, transport.execute(call), JobList.class);
  }

  /**
   * Cancels a job ({@code DELETE /jobs/{id}}). A cancel is repeated after a failure only when the
   * first request surely did nothing (no connection, 429, 503).
   *
   * @return the job, now {@link JobStatus#CANCELLED}
   * @throws ShardhookException.NotFound if there is no such job
   * @throws ShardhookException.Conflict if the job is already final
   * @throws IllegalArgumentException if {@code id} cannot be a job id
   * @throws IllegalStateException if this client is closed
   */
  public Job cancel(String id) {
    checkId(id);
    checkOpen();
    ApiCall call = ApiCall.delete(id);
    return ClientJson.read(call, transport.execute(call), Job.class);
  }

  /** {@link #cancel} on a virtual thread. */
  public CompletableFuture<Job> cancelAsync(String id) {
    return async(() -> cancel(id));
  }

  /**
   * Replays a failed or cancelled job ({@code POST /jobs/{id}:replay}): it goes back to {@link
   * JobStatus#PENDING}, due at once, with a fresh retry budget; its attempts stay and numbering
   * continues. Repeated after a failure only when the first request surely did nothing.
   *
   * @return the job, now {@link JobStatus#PENDING}
   * @throws ShardhookException.NotFound if there is no such job
   * @throws ShardhookException.Conflict if the job is neither failed nor cancelled
   * @throws ShardhookException.QueueFull if the shard's queue or the tenant's quota is full
   * @throws IllegalArgumentException if {@code id} cannot be a job id
   * @throws IllegalStateException if this client is closed
   */
  public Job replay(String id) {
    checkId(id);
    checkOpen();
    ApiCall call = ApiCall.replay(id);
    return ClientJson.read(call, transport.execute(call), Job.class);
  }

  /** {@link #replay} on a virtual thread. */
  public CompletableFuture<Job> replayAsync(String id) {
    return async(() -> replay(id));
  }

  /**
   * Replays, in bulk, every job of the caller that {@code query} matches ({@code POST
   * /jobs:replay}; its page size is ignored): FAILED jobs unless the query asks for CANCELLED ones.
   * Each shard takes the jobs it holds that match and were created by the time it started; follow
   * the progress with {@link #operation}. Sent with a fresh idempotency key, so a retry after a
   * lost answer starts nothing twice.
   *
   * @return the operation as the shards first answered it, usually still {@code RUNNING}
   * @throws ShardhookException.InvalidJob if the query asks for another status
   * @throws IllegalStateException if this client is closed
   */
  public Operation replayAll(JobQuery query) {
    return replayAll(query, UUID.randomUUID().toString());
  }

  /**
   * As {@link #replayAll(JobQuery)} under the caller's idempotency key: the same key (with the same
   * query) names the same operation and never runs it twice; another query under it is an {@link
   * ShardhookException.IdempotencyMismatch}.
   *
   * @throws IllegalArgumentException if {@code idempotencyKey} is not 1 to 255 printable ASCII
   *     characters
   */
  public Operation replayAll(JobQuery query, String idempotencyKey) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (query.queue() != null) {
      throw new IllegalArgumentException("queue: a bulk replay does not filter by queue yet");
    }
    if (!JobRules.isKey(idempotencyKey)) {
      throw new IllegalArgumentException(
          "idempotencyKey: must be 1 to "
              + JobRules.MAX_KEY_LENGTH
              + " printable ASCII characters");
    }
    checkOpen();
    ApiCall call =
        ApiCall.post("jobs:replay", ClientJson.write(query.filterParameters()), idempotencyKey);
    return ClientJson.read(call, transport.execute(call), Operation.class);
  }

  /**
   * Creates or replaces a named queue ({@code PUT /queues/{name}}, admin key; README, "Queues").
   * Through a proxy every shard gets it, with its share of the limits.
   *
   * @return the queue as stored, with its live counts
   * @throws ShardhookException.InvalidJob if a value is out of range
   * @throws ShardhookException.Conflict if the tenant has as many queues as it may
   * @throws IllegalArgumentException if {@code name} is not {@code [A-Za-z0-9_-]{1,64}}
   * @throws IllegalStateException if this client is closed
   */
  public Queue putQueue(String name, QueueConfig config) {
    checkQueueName(name);
    Objects.requireNonNull(config, "config");
    checkOpen();
    ApiCall call =
        new ApiCall("PUT", List.of("queues", name), ClientJson.write(config.spec()), null, true);
    return ClientJson.read(call, transport.execute(call), Queue.class);
  }

  /** A named queue with its counts ({@code GET /queues/{name}}); empty if there is none. */
  public Optional<Queue> queue(String name) {
    checkQueueName(name);
    checkOpen();
    ApiCall call = new ApiCall("GET", List.of("queues", name), null, null, true);
    try {
      return Optional.of(ClientJson.read(call, transport.execute(call), Queue.class));
    } catch (ShardhookException.NotFound e) {
      return Optional.empty();
    }
  }

  /** The caller's queues ({@code GET /queues}), {@code default} included. */
  public List<Queue> queues() {
    checkOpen();
    ApiCall call = new ApiCall("GET", List.of("queues"), null, null, true);
    return ClientJson.read(call, transport.execute(call), Queue.QueueList.class).queues();
  }

  /**
   * Deletes a named queue ({@code DELETE /queues/{name}}, admin key).
   *
   * @throws ShardhookException.NotFound if there is no such queue
   * @throws ShardhookException.Conflict for {@code default}, or while it holds pending jobs
   */
  public void deleteQueue(String name) {
    checkQueueName(name);
    checkOpen();
    ApiCall call = new ApiCall("DELETE", List.of("queues", name), null, null, false);
    transport.execute(call);
  }

  /** Pauses a queue ({@code POST /queues/{name}:pause}): its jobs wait, none is attempted. */
  public Queue pauseQueue(String name) {
    return queueAction(name, "pause", Queue.class);
  }

  /** Resumes a paused queue ({@code POST /queues/{name}:resume}). */
  public Queue resumeQueue(String name) {
    return queueAction(name, "resume", Queue.class);
  }

  /**
   * Cancels every pending job of the queue created before the call ({@code POST
   * /queues/{name}:purge}).
   *
   * @return how many jobs were cancelled
   */
  public long purgeQueue(String name) {
    return queueAction(name, "purge", PurgeAnswer.class).cancelled();
  }

  /** The answer of a purge. */
  record PurgeAnswer(long cancelled, Map<String, Object> shards, List<String> partial) {}

  private <T> T queueAction(String name, String action, Class<T> type) {
    checkQueueName(name);
    checkOpen();
    ApiCall call =
        new ApiCall("POST", List.of("queues", name + ":" + action), new byte[0], null, true);
    return ClientJson.read(call, transport.execute(call), type);
  }

  private static void checkQueueName(String name) {
    Objects.requireNonNull(name, "name");
    if (!JobRules.isQueueName(name)) {
      throw new IllegalArgumentException(
          "name: queue names match [A-Za-z0-9_-]{1,64}, got '" + name + "'");
    }
  }

  /**
   * A bulk operation's progress ({@code GET /operations/{id}}); through a proxy, summed over the
   * shards, with each shard's part and the shards that did not answer.
   *
   * @return the operation, or empty if no shard knows it
   * @throws IllegalStateException if this client is closed
   */
  public Optional<Operation> operation(String id) {
    Objects.requireNonNull(id, "id");
    if (!OperationIds.isValid(id)) {
      throw new IllegalArgumentException("id: not an operation id: '" + id + "'");
    }
    checkOpen();
    ApiCall call = new ApiCall("GET", List.of("operations", id), null, null, true);
    try {
      return Optional.of(ClientJson.read(call, transport.execute(call), Operation.class));
    } catch (ShardhookException.NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * Creates a cron schedule ({@code POST /schedules}, README "Schedules") under a fresh idempotency
   * key, so a retry after a lost answer creates nothing twice.
   *
   * @return the schedule, with its id ({@code sch_…}) and first firing
   * @throws ShardhookException.InvalidJob if the shard refuses the expression, zone, end or job
   * @throws IllegalStateException if this client is closed
   */
  public Schedule createSchedule(ScheduleRequest request) {
    return createSchedule(request, UUID.randomUUID().toString());
  }

  /**
   * As {@link #createSchedule(ScheduleRequest)} under the caller's idempotency key: the same key
   * and request name the same schedule; another request under it is an {@link
   * ShardhookException.IdempotencyMismatch}.
   */
  public Schedule createSchedule(ScheduleRequest request, String idempotencyKey) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (!JobRules.isKey(idempotencyKey)) {
      throw new IllegalArgumentException(
          "idempotencyKey: must be 1 to "
              + JobRules.MAX_KEY_LENGTH
              + " printable ASCII characters");
    }
    checkOpen();
    ApiCall call = ApiCall.post("schedules", ClientJson.write(request), idempotencyKey);
    return ClientJson.read(call, transport.execute(call), Schedule.class);
  }

  /**
   * Reads a schedule ({@code GET /schedules/{id}}).
   *
   * @return the schedule, or empty if there is none with that id
   */
  public Optional<Schedule> schedule(String id) {
    ApiCall call = scheduleCall("GET", checkScheduleId(id), true);
    try {
      return Optional.of(ClientJson.read(call, transport.execute(call), Schedule.class));
    } catch (ShardhookException.NotFound e) {
      return Optional.empty();
    }
  }

  /** Every schedule of the caller, by id, all pages read ({@code GET /schedules}). */
  public List<Schedule> schedules() {
    List<Schedule> all = new ArrayList<>();
    String cursor = null;
    do {
      ScheduleList page = schedules(cursor, 1000);
      all.addAll(page.schedules());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  /**
   * One page of the caller's schedules after {@code cursor} (null: the first page).
   *
   * @param limit 1 to 1000
   */
  public ScheduleList schedules(String cursor, int limit) {
    checkOpen();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(limit));
    if (cursor != null) {
      query.put("cursor", cursor);
    }
    ApiCall call = new ApiCall("GET", List.of("schedules"), null, null, true, query);
    return ClientJson.read(call, transport.execute(call), ScheduleList.class);
  }

  /**
   * Pauses a schedule: it fires nothing until resumed.
   *
   * @throws ShardhookException.NotFound if there is no such schedule
   */
  public Schedule pauseSchedule(String id) {
    ApiCall call = scheduleCall("POST", checkScheduleId(id) + ":pause", true);
    return ClientJson.read(call, transport.execute(call), Schedule.class);
  }

  /**
   * Resumes a paused schedule at its first firing after now; the firings it missed while paused are
   * dropped.
   *
   * @throws ShardhookException.NotFound if there is no such schedule
   */
  public Schedule resumeSchedule(String id) {
    ApiCall call = scheduleCall("POST", checkScheduleId(id) + ":resume", true);
    return ClientJson.read(call, transport.execute(call), Schedule.class);
  }

  /**
   * Deletes a schedule; the jobs it fired stay. Repeated after a failure only when the first
   * request surely did nothing.
   *
   * @return the schedule as it was
   * @throws ShardhookException.NotFound if there is no such schedule
   */
  public Schedule deleteSchedule(String id) {
    ApiCall call = scheduleCall("DELETE", checkScheduleId(id), false);
    return ClientJson.read(call, transport.execute(call), Schedule.class);
  }

  private ApiCall scheduleCall(String method, String last, boolean idempotent) {
    checkOpen();
    return new ApiCall(
        method,
        List.of("schedules", last),
        method.equals("POST") ? new byte[0] : null,
        null,
        idempotent);
  }

  private static String checkScheduleId(String id) {
    Objects.requireNonNull(id, "id");
    if (!ScheduleIds.isValid(id)) {
      throw new IllegalArgumentException("id: not a schedule id: '" + id + "'");
    }
    return id;
  }

  /**
   * The destinations (receivers' {@code host:port}) with their health and adaptive concurrency
   * ({@code GET /destinations}; README, "Destinations"): an admin key sees every one, another key
   * those its tenant's jobs target. Through a proxy, one entry per host merged over the shards,
   * each shard's own under {@link Destination#shards()}, and the shards that did not answer in
   * {@link DestinationList#partial()}.
   *
   * @throws ShardhookException.Unavailable if no shard could answer
   * @throws IllegalStateException if this client is closed
   */
  public DestinationList destinations() {
    checkOpen();
    ApiCall call = new ApiCall("GET", List.of("destinations"), null, null, true);
    return ClientJson.read(call, transport.execute(call), DestinationList.class);
  }

  /**
   * Enables a disabled destination again ({@code POST /destinations/{host}:enable}, admin keys
   * only): its waiting jobs are attempted again. Enabling one that is not disabled changes nothing.
   * Repeated after a failure (enabling twice is harmless).
   *
   * @param host {@code host:port}, as {@link #destinations()} lists it
   * @return whether it was disabled, per shard through a proxy
   * @throws ShardhookException.Forbidden if the key is not an admin's
   * @throws IllegalArgumentException if {@code host} is not {@code host:port}
   * @throws IllegalStateException if this client is closed
   */
  public EnabledDestination enableDestination(String host) {
    Objects.requireNonNull(host, "host");
    if (!DestinationHosts.isValid(host)) {
      throw new IllegalArgumentException("host: must be host:port, got '" + host + "'");
    }
    checkOpen();
    ApiCall call =
        new ApiCall(
            "POST",
            List.of("destinations", host + ":" + DestinationHosts.ENABLE),
            new byte[0],
            null,
            true);
    return ClientJson.read(call, transport.execute(call), EnabledDestination.class);
  }

  /**
   * Polls a bulk operation, with growing pauses (50 ms up to 2 s), until it is {@link
   * Operation.Status#SUCCEEDED} or {@code timeout} has passed.
   *
   * @return the operation as last read: succeeded, or still running when the timeout passed (check
   *     its {@code status}; through a proxy, a shard that does not answer keeps it running)
   * @throws ShardhookException.NotFound if no shard knows the operation
   * @throws IllegalArgumentException if {@code timeout} is not positive
   * @throws IllegalStateException if this client is closed
   */
  public Operation awaitOperation(String id, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
    }
    Instant deadline = clock.instant().plus(timeout);
    long waitMs = CompletionPoller.FIRST_WAIT_MS;
    while (true) {
      Operation op =
          operation(id)
              .orElseThrow(
                  () ->
                      new ShardhookException.NotFound(
                          "GET /operations/" + id + ": 404 Not found", null));
      Duration left = Duration.between(clock.instant(), deadline);
      if (op.status() == Operation.Status.SUCCEEDED || left.isNegative() || left.isZero()) {
        return op;
      }
      try {
        sleeper.sleep(
            left.compareTo(Duration.ofMillis(waitMs)) < 0 ? left : Duration.ofMillis(waitMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return op;
      }
      waitMs = Math.min(CompletionPoller.MAX_WAIT_MS, waitMs + waitMs / 2);
    }
  }

  /**
   * Polls a job, with growing pauses (50 ms up to 2 s), until it is {@link JobStatus#SUCCEEDED},
   * {@link JobStatus#FAILED} or {@link JobStatus#CANCELLED}. Each read is retried like {@link
   * #get}; a read begun just before the timeout may take up to 2 s more to finish.
   *
   * @param timeout how long to wait in all
   * @return the final job
   * @throws ShardhookException.CompletionTimeout if it is not final in time; it carries the job
   * @throws ShardhookException.NotFound if there is no such job
   * @throws IllegalArgumentException if {@code id} cannot be a job id or {@code timeout} is not
   *     positive
   * @throws IllegalStateException if this client is closed
   */
  public Job awaitCompletion(String id, Duration timeout) {
    checkId(id);
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
    }
    checkOpen();
    return poller.await(id, timeout, readDeadline -> get(id, readDeadline));
  }

  /** {@link #awaitCompletion} on a virtual thread. */
  public CompletableFuture<Job> awaitCompletionAsync(String id, Duration timeout) {
    return async(() -> awaitCompletion(id, timeout));
  }

  /** The endpoints calls go to, in failover order. */
  public List<URI> endpoints() {
    return endpoints;
  }

  /** Connect timeout of one attempt. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Read timeout of one attempt. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Write timeout of one attempt. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** How calls are retried. */
  public ClientRetryConfig retryConfig() {
    return retryConfig;
  }

  /**
   * Closes what this client created: the OkHttp connection pool and dispatcher threads, unless the
   * OkHttpClient was supplied by the caller, which stays untouched. Calls after this throw {@link
   * IllegalStateException}; calls in flight finish. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && suppliedHttp == null) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "ShardhookClient{endpoints=" + endpoints + ", retry=" + retryConfig + "}";
  }

  private Optional<Job> get(String id, Instant deadline) {
    checkId(id);
    checkOpen();
    ApiCall call = ApiCall.get(id);
    try {
      return Optional.of(ClientJson.read(call, transport.execute(call, deadline), Job.class));
    } catch (ShardhookException.NotFound e) {
      return Optional.empty();
    }
  }

  private static void checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (!JobIds.isValid(id)) {
      throw new IllegalArgumentException("id: must match [A-Za-z0-9._:-]{1,128}, got '" + id + "'");
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this ShardhookClient is closed");
    }
  }

  private <T> CompletableFuture<T> async(Supplier<T> call) {
    checkOpen();
    return asyncCalls.supply(call);
  }

  /**
   * Collects a {@link ShardhookClient}. Each setter checks its value at once; {@link #build()}
   * needs at least one endpoint. Not thread-safe.
   */
  public static final class Builder {
    private List<URI> endpoints = List.of();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private String apiKey;
    private ClientRetryConfig retryConfig = ClientRetryConfig.ofDefaults();
    private OkHttpClient okHttpClient;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.THREAD;

    private Builder() {}

    private Builder(ShardhookClient c) {
      this.endpoints = c.endpoints;
      this.connectTimeout = c.connectTimeout;
      this.readTimeout = c.readTimeout;
      this.writeTimeout = c.writeTimeout;
      this.apiKey = c.apiKey;
      this.retryConfig = c.retryConfig;
      this.okHttpClient = c.suppliedHttp;
      this.clock = c.clock;
      this.sleeper = c.sleeper;
    }

    /**
     * The endpoint, or several for client-side failover, replacing earlier ones: absolute http or
     * https URLs, optionally with a base path ({@code http://lb.internal/shardhook}).
     */
    public Builder endpoint(URI endpoint, URI... more) {
      List<URI> all = new ArrayList<>();
      all.add(Endpoints.check(endpoint));
      for (URI u : more) {
        all.add(Endpoints.check(u));
      }
      this.endpoints = List.copyOf(all);
      return this;
    }

    /** The endpoints in failover order, replacing earlier ones; see {@link #endpoint}. */
    public Builder endpoints(List<URI> endpoints) {
      Objects.requireNonNull(endpoints, "endpoints");
      this.endpoints = endpoints.stream().map(Endpoints::check).toList();
      return this;
    }

    /** Connect timeout of one attempt, at least 1 ms. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Read timeout of one attempt, at least 1 ms. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /** Write timeout of one attempt, at least 1 ms. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = positive(timeout, "writeTimeout");
      return this;
    }

    /** Sent as {@code Authorization: Bearer <apiKey>} with every call; null for none. */
    public Builder apiKey(String apiKey) {
      if (apiKey != null && (apiKey.isBlank() || !JobRules.isKey(apiKey))) {
        throw new IllegalArgumentException(
            "apiKey: must be 1 to 255 printable ASCII characters, not blank");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** How calls are retried; {@link ClientRetryConfig#disabled()} for never. */
    public Builder retry(ClientRetryConfig retryConfig) {
      this.retryConfig = Objects.requireNonNull(retryConfig, "retryConfig");
      return this;
    }

    /**
     * An OkHttpClient to borrow: its connection pool, dispatcher, interceptors, TLS and proxy
     * settings are used, and it is never closed by this client. This builder's timeouts apply to
     * the SDK's calls all the same. Null to let the client create its own.
     */
    public Builder okHttpClient(OkHttpClient okHttpClient) {
      this.okHttpClient = okHttpClient;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalStateException if no endpoint was given
     */
    public ShardhookClient build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException(
            "no endpoint: call endpoint(URI.create(\"http://127.0.0.1:8080\")) first");
      }
      return new ShardhookClient(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(name + ": must be at least 1 ms, got " + d);
      }
      return d;
    }
  }
}
