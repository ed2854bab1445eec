package dev.shardhook.node;

import dev.shardhook.node.delivery.DeliveryConfig;
import dev.shardhook.support.auth.AuthSettings;
import dev.shardhook.support.config.BreakerConfig;
import dev.shardhook.support.config.BreakerSettings;
import dev.shardhook.support.config.Check;
import dev.shardhook.support.config.Setting;
import dev.shardhook.support.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every setting of a node, declared once: flag, environment variable, default, meaning and range.
 * {@link NodeMain} reads them; {@link NodeConfig} checks its values against them. The README's node
 * settings table has one row per setting.
 */
public final class NodeSettings {
  private static final String NAME = "[A-Za-z0-9._-]{1,64}";

  public static final Setting<String> NODE_ID =
      Setting.text("node-id", null, "This node's id, one of the --peers ids.")
          .required()
          .validWhen(Check.of(s -> s.matches(NAME), NAME));
  public static final Setting<String> SHARD_ID =
      Setting.text("shard-id", "shard-0", "The shard's id (every node of a shard must agree).")
          .validWhen(Check.of(s -> s.matches(NAME), NAME));
  public static final Setting<List<NodeConfig.Peer>> PEERS =
      Setting.of(
              "peers",
              PeerListFormat.INSTANCE,
              null,
              "The Raft group: a=host:port,b=host:port,c=host:port (gRPC addresses).")
          .required()
          .validWhen(
              Check.of(p -> p.size() == 3 || p.size() == 1, "three members (or one, for a test)"));
  public static final Setting<String> HTTP_HOST =
      Setting.text("http-host", "0.0.0.0", "HTTP bind address.")
          .validWhen(Check.of(s -> !s.isBlank(), "a host name or address"));
  public static final Setting<Integer> HTTP_PORT =
      Setting.integer("http-port", NodeConfig.DEFAULT_HTTP_PORT, "HTTP port (0 picks a free one).")
          .validWhen(Check.between(0, 65535));
  public static final Setting<Path> DATA_DIR =
      Setting.path(
          "data-dir", Path.of("data"), "RocksDB (db/) and the Raft log and snapshots (ratis/).");
  public static final Setting<Integer> WORKERS =
      Setting.integer("workers", 256, "Delivery attempts in flight at once on the leader.")
          .validWhen(Check.between(1, 100_000));
  public static final Setting<Integer> PER_HOST_CONCURRENCY =
      Setting.integer(
              "per-host-concurrency",
              NodeConfig.DEFAULT_PER_HOST_CONCURRENCY,
              "Attempts in flight to one destination host:port at most: the adaptive limit's"
                  + " ceiling.")
          .validWhen(Check.atLeast(1));
  public static final Setting<Duration> DESTINATION_DISABLE_AFTER =
      Setting.duration(
              "destination-disable-after",
              Duration.ofHours(24),
              "A destination failing without a success for this long is disabled until an admin"
                  + " enables it.")
          .validWhen(Check.positive());
  public static final Setting<Long> MAX_PENDING =
      Setting.number("max-pending", 1_000_000L, "Pending jobs per shard before 429.")
          .validWhen(Check.atLeast(1));
  public static final Setting<Integer> MAX_REQUEST_BYTES =
      Setting.integer("max-request-bytes", 1 << 20, "Largest request body.");
  public static final Setting<Integer> MAX_BODY_BYTES =
      Setting.integer("max-body-bytes", NodeConfig.DEFAULT_MAX_BODY_BYTES, "Largest job body.")
          .validWhen(Check.atLeast(1));
  public static final Setting<String> SIGNING_SECRET =
      Setting.text(
              "signing-secret",
              null,
              "whsec_<base64>: sign deliveries per Standard Webhooks (none: unsigned).")
          .validWhen(Check.of(s -> s.isBlank() || s.startsWith("whsec_"), "whsec_<base64>"));
  public static final Setting<Boolean> ALLOW_PRIVATE_TARGETS =
      Setting.toggle(
          "allow-private-targets",
          "Allow webhook targets on loopback, private and link-local addresses.");
  public static final Setting<Duration> ATTEMPT_TIMEOUT =
      Setting.duration(
              "attempt-timeout",
              Duration.ofSeconds(10),
              "Per-attempt timeout for jobs that set none.")
          .validWhen(Check.positive());

  /** Capped at 64 KiB, the most of an answer a delivery reads; it all goes into the Raft log. */
  public static final Setting<Long> RESPONSE_CAPTURE_BYTES =
      Setting.bytes(
              "response-capture-bytes",
              DeliveryConfig.DEFAULT_RESPONSE_CAPTURE_BYTES,
              "Body bytes of each receiver answer kept in the attempt log, with selected headers"
                  + " (0: keep nothing).")
          .validWhen(Check.between(0, 64 << 10));

  public static final Setting<Duration> IDEMPOTENCY_WINDOW =
      Setting.duration(
              "idempotency-window",
              Duration.ofHours(24),
              "How long idempotency keys are kept (at least as long as their job).")
          .validWhen(Check.positive());
  public static final Setting<Duration> SHUTDOWN_GRACE =
      Setting.duration(
              "shutdown-grace",
              Duration.ofSeconds(20),
              "SIGTERM's budget for handing leadership over, in-flight attempts and their"
                  + " outcomes.")
          .validWhen(Check.notNegative());
  public static final Setting<Long> SNAPSHOT_THRESHOLD =
      Setting.number("snapshot-threshold", 100_000L, "Raft entries between automatic snapshots.")
          .validWhen(Check.atLeast(10));
  public static final Setting<Path> SHARD_MAP =
      Setting.path(
          "shard-map",
          null,
          "The proxies' shard map (JSON): refuse job ids this shard does not own with 421.");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
              "retention",
              Duration.ofDays(7),
              "How long finished jobs stay readable before they are purged.")
          .validWhen(
              Check.of(
                  d -> d.toMillis() >= 1_000 && d.toDays() <= 36_500, "between 1s and 100 years"));
  public static final Setting<Duration> SCHEDULE_INTERVAL =
      Setting.duration(
              "schedule-interval",
              Duration.ofMillis(250),
              "How often the leader looks for due schedule firings (README, \"Schedules\").")
          .validWhen(
              Check.of(d -> d.toMillis() >= 10 && d.toMillis() <= 60_000, "between 10ms and 60s"));
  public static final Setting<Duration> SCHEDULE_CATCH_UP_AFTER =
      Setting.duration(
              "schedule-catch-up-after",
              Duration.ofMinutes(1),
              "Firings late by less than this are all fired; older missed ones follow the"
                  + " schedule's catchUp policy (README, \"Schedules\").")
          .validWhen(
              Check.of(d -> d.toMillis() >= 1_000 && d.toDays() <= 366, "between 1s and 366 days"));
  public static final Setting<String> HISTORY =
      Setting.text(
              "history",
              "on",
              "on: export finished jobs to SQL (README, \"Job history\"); off: no history.")
          .validWhen(Check.of(s -> s.equals("on") || s.equals("off"), "on or off"));
  public static final Setting<String> HISTORY_JDBC_URL =
      Setting.text(
          "history-jdbc-url",
          null,
          "Shared history database, e.g. jdbc:postgresql://db/shardhook (none: embedded H2 in"
              + " history/).");
  public static final Setting<String> HISTORY_JDBC_USER =
      Setting.text("history-jdbc-user", null, "User of the shared history database.");
  public static final Setting<String> HISTORY_JDBC_PASSWORD =
      Setting.text(
          "history-jdbc-password",
          null,
          "Password of the shared history database (prefer the environment variable).");
  public static final Setting<Duration> HISTORY_RETENTION =
      Setting.duration(
              "history-retention",
              Duration.ofDays(90),
              "How long exported jobs stay in the history after they finished.")
          .validWhen(
              Check.of(
                  d -> d.toMillis() >= 1_000 && d.toDays() <= 36_500, "between 1s and 100 years"));
  public static final Setting<Long> MIN_FREE_DISK =
      Setting.bytes(
              "min-free-disk",
              512L << 20,
              "Free space the data disk keeps: below it new jobs get 507.")
          .validWhen(Check.atLeast(0));
  public static final Setting<Integer> GROUP_COMMIT_MAX_JOBS =
      Setting.integer("group-commit-max-jobs", 512, "Most jobs that share one Raft entry.")
          .validWhen(Check.atLeast(1));
  public static final Setting<Duration> GROUP_COMMIT_MAX_DELAY =
      Setting.duration(
              "group-commit-max-delay",
              Duration.ofMillis(1),
              "Longest a submission waits for others to share its Raft entry.")
          .validWhen(Check.notNegative());

  /** Bounds entries outstanding, so that under load entries grow instead of multiplying. */
  public static final Setting<Integer> GROUP_COMMIT_MAX_IN_FLIGHT =
      Setting.integer(
              "group-commit-max-in-flight",
              8,
              "Group-commit entries proposed and not yet committed; under load entries grow"
                  + " instead of multiplying.")
          .validWhen(Check.between(1, 1000));

  /**
   * Shorter than the proxies' forward timeout, so that the node's own answer reaches the client.
   */
  public static final Setting<Duration> COMMIT_TIMEOUT =
      Setting.duration(
              "commit-timeout",
              Duration.ofSeconds(10),
              "Longest a request waits for its Raft entry to commit, then 503 or 504.")
          .validWhen(
              Check.within(
                  Duration.ofMillis(100), Duration.ofMinutes(10), "between 100ms and 10m"));

  public static final Setting<Long> RAFT_SEGMENT_BYTES =
      Setting.bytes(
              "raft-segment-bytes",
              32L << 20,
              "Size at which a Raft log segment is closed; only closed ones are purged.")
          .validWhen(Check.atLeast(16 << 10));

  /**
   * While a leader is being elected, the Raft client sleeps between tries. A short cap lets a
   * request land within ~100 ms of the new leader becoming ready (a 1 s cap delayed the first
   * acceptance after a leader kill by up to a second); about 10 s of tries in all.
   */
  public static final Setting<Duration> RAFT_CLIENT_RETRY_MIN_SLEEP =
      Setting.duration(
              "raft-client-retry-min-sleep",
              Duration.ofMillis(20),
              "First pause of the Raft client between tries while no leader is known (doubling).")
          .validWhen(
              Check.within(Duration.ofMillis(1), Duration.ofMinutes(1), "between 1ms and 1m"));

  public static final Setting<Duration> RAFT_CLIENT_RETRY_MAX_SLEEP =
      Setting.duration(
              "raft-client-retry-max-sleep",
              Duration.ofMillis(100),
              "Longest pause of the Raft client between tries.")
          .validWhen(
              Check.within(Duration.ofMillis(1), Duration.ofMinutes(1), "between 1ms and 1m"));
  public static final Setting<Integer> RAFT_CLIENT_RETRY_MAX_ATTEMPTS =
      Setting.integer(
              "raft-client-retry-max-attempts",
              100,
              "Tries of the Raft client before a request fails.")
          .validWhen(Check.between(1, 100_000));

  /**
   * The leader's circuit breaker per destination host: a failure is a network error or a 5xx (a 429
   * lowers the host's adaptive limit instead); while it is open, attempts to that host pause (jobs
   * stay due; no attempt is spent).
   */
  public static final BreakerSettings DESTINATION_BREAKER =
      new BreakerSettings(
          "destination-breaker-",
          "the circuit breaker of each destination host",
          new BreakerConfig(Duration.ofSeconds(10), 50, 20, 50, 5));

  /** In the order {@code --help} and the README list them. */
  public static final List<Setting<?>> ALL =
      Stream.concat(
              Stream.of(
                  NODE_ID,
                  SHARD_ID,
                  PEERS,
                  HTTP_HOST,
                  HTTP_PORT,
                  DATA_DIR,
                  WORKERS,
                  PER_HOST_CONCURRENCY,
                  DESTINATION_DISABLE_AFTER,
                  MAX_PENDING,
                  MAX_REQUEST_BYTES,
                  MAX_BODY_BYTES,
                  SIGNING_SECRET,
                  ALLOW_PRIVATE_TARGETS,
                  ATTEMPT_TIMEOUT,
                  RESPONSE_CAPTURE_BYTES,
                  IDEMPOTENCY_WINDOW,
                  SHUTDOWN_GRACE,
                  SNAPSHOT_THRESHOLD,
                  SHARD_MAP,
                  RETENTION,
                  SCHEDULE_INTERVAL,
                  SCHEDULE_CATCH_UP_AFTER,
                  HISTORY,
                  HISTORY_JDBC_URL,
                  HISTORY_JDBC_USER,
                  HISTORY_JDBC_PASSWORD,
                  HISTORY_RETENTION,
                  MIN_FREE_DISK,
                  GROUP_COMMIT_MAX_JOBS,
                  GROUP_COMMIT_MAX_DELAY,
                  GROUP_COMMIT_MAX_IN_FLIGHT,
                  COMMIT_TIMEOUT,
                  RAFT_SEGMENT_BYTES,
                  RAFT_CLIENT_RETRY_MIN_SLEEP,
                  RAFT_CLIENT_RETRY_MAX_SLEEP,
                  RAFT_CLIENT_RETRY_MAX_ATTEMPTS,
                  // TLS: the HTTP API requires client certificates, Raft is mutual TLS
                  TlsSettings.CERT,
                  TlsSettings.KEY,
                  TlsSettings.CA),
              Stream.concat(AuthSettings.ALL.stream(), DESTINATION_BREAKER.all().stream()))
          .toList();

  private NodeSettings() {}
}
