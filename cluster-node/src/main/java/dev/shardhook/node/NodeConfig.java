package dev.shardhook.node;

import static dev.shardhook.node.NodeSettings.ALLOW_PRIVATE_TARGETS;
import static dev.shardhook.node.NodeSettings.ATTEMPT_TIMEOUT;
import static dev.shardhook.node.NodeSettings.COMMIT_TIMEOUT;
import static dev.shardhook.node.NodeSettings.DATA_DIR;
import static dev.shardhook.node.NodeSettings.DESTINATION_DISABLE_AFTER;
import static dev.shardhook.node.NodeSettings.GROUP_COMMIT_MAX_DELAY;
import static dev.shardhook.node.NodeSettings.GROUP_COMMIT_MAX_IN_FLIGHT;
import static dev.shardhook.node.NodeSettings.GROUP_COMMIT_MAX_JOBS;
import static dev.shardhook.node.NodeSettings.HISTORY;
import static dev.shardhook.node.NodeSettings.HISTORY_JDBC_PASSWORD;
import static dev.shardhook.node.NodeSettings.HISTORY_JDBC_URL;
import static dev.shardhook.node.NodeSettings.HISTORY_JDBC_USER;
import static dev.shardhook.node.NodeSettings.HISTORY_RETENTION;
import static dev.shardhook.node.NodeSettings.HTTP_HOST;
import static dev.shardhook.node.NodeSettings.HTTP_PORT;
import static dev.shardhook.node.NodeSettings.IDEMPOTENCY_WINDOW;
import static dev.shardhook.node.NodeSettings.MAX_BODY_BYTES;
import static dev.shardhook.node.NodeSettings.MAX_PENDING;
import static dev.shardhook.node.NodeSettings.MAX_REQUEST_BYTES;
import static dev.shardhook.node.NodeSettings.MIN_FREE_DISK;
import static dev.shardhook.node.NodeSettings.NODE_ID;
import static dev.shardhook.node.NodeSettings.PEERS;
import static dev.shardhook.node.NodeSettings.PER_HOST_CONCURRENCY;
import static dev.shardhook.node.NodeSettings.RAFT_CLIENT_RETRY_MAX_ATTEMPTS;
import static dev.shardhook.node.NodeSettings.RAFT_CLIENT_RETRY_MAX_SLEEP;
import static dev.shardhook.node.NodeSettings.RAFT_CLIENT_RETRY_MIN_SLEEP;
import static dev.shardhook.node.NodeSettings.RAFT_SEGMENT_BYTES;
import static dev.shardhook.node.NodeSettings.RETENTION;
import static dev.shardhook.node.NodeSettings.SHARD_ID;
import static dev.shardhook.node.NodeSettings.SHARD_MAP;
import static dev.shardhook.node.NodeSettings.SHUTDOWN_GRACE;
import static dev.shardhook.node.NodeSettings.SIGNING_SECRET;
import static dev.shardhook.node.NodeSettings.SNAPSHOT_THRESHOLD;
import static dev.shardhook.node.NodeSettings.WORKERS;
import static dev.shardhook.support.config.Check.require;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.delivery.DeliveryConfig;
import dev.shardhook.node.delivery.DispatchConfig;
import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.http.SubmitConfig;
import dev.shardhook.node.raft.GroupCommitConfig;
import dev.shardhook.node.raft.RaftConfig;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.auth.AuthSettings;
import dev.shardhook.support.config.Setting;
import dev.shardhook.support.config.SettingMap;
import dev.shardhook.support.config.SettingValues;
import dev.shardhook.support.tls.TlsFiles;
import dev.shardhook.support.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Everything one node of a shard needs to start: a value for each of {@link NodeSettings}, plus the
 * default retry policy. Immutable; {@link Builder#build()} checks every value against its setting
 * and throws {@link InvalidConfigException} with a message naming the bad setting. Components get
 * the part they need ({@link #raft()}, {@link #dispatch()}, ...).
 */
public final class NodeConfig {
  // Defaults other code refers to; every other default is declared with its setting.
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_PER_HOST_CONCURRENCY = 64;
  public static final int DEFAULT_MAX_BODY_BYTES = 256 << 10;

  /** 10 attempts, 1 s doubling to 1 h, no overall time limit. */
  public static final RetrySpec DEFAULT_RETRY = new RetrySpec(10, 1_000L, 3_600_000L, 2.0, 0L);

  /** One member of the shard's Raft group. */
  public record Peer(String id, String host, int port) {
    public String address() {
      return host + ":" + port;
    }
  }

  private final SettingMap values;
  private final RetrySpec defaultRetry;

  private NodeConfig(SettingMap values, RetrySpec defaultRetry) {
    this.values = values;
    this.defaultRetry = defaultRetry;
  }

  public static Builder builder() {
    return new Builder(SettingMap.defaults(NodeSettings.ALL));
  }

  /**
   * The config from settings read from flags and the environment.
   *
   * @throws InvalidConfigException naming the first bad setting
   */
  public static NodeConfig from(SettingValues read) {
    Builder b = builder();
    b.values.setAll(read);
    return b.build();
  }

  public Builder toBuilder() {
    return new Builder(values.toBuilder()).defaultRetry(defaultRetry);
  }

  /** What the Raft server and client need. */
  public RaftConfig raft() {
    return new RaftConfig(
        nodeId(),
        shardId(),
        peers(),
        dataDir(),
        snapshotThreshold(),
        raftSegmentBytes(),
        get(RAFT_CLIENT_RETRY_MIN_SLEEP),
        get(RAFT_CLIENT_RETRY_MAX_SLEEP),
        get(RAFT_CLIENT_RETRY_MAX_ATTEMPTS));
  }

  /** What group commit of submissions needs. */
  public GroupCommitConfig groupCommit() {
    return new GroupCommitConfig(
        groupCommitMaxJobs(),
        groupCommitMaxDelay(),
        get(GROUP_COMMIT_MAX_IN_FLIGHT),
        get(COMMIT_TIMEOUT));
  }

  /** What the leader's dispatcher needs. */
  public DispatchConfig dispatch() {
    return new DispatchConfig(
        workers(),
        perHostConcurrency(),
        shutdownGrace(),
        NodeSettings.DESTINATION_BREAKER.from(values));
  }

  /** What taking submissions needs. */
  public SubmitConfig submit() {
    return new SubmitConfig(
        maxRequestBytes(),
        maxBodyBytes(),
        maxPending(),
        attemptTimeout(),
        defaultRetry(),
        allowPrivateTargets());
  }

  /** What sending webhooks needs. */
  public DeliveryConfig delivery() {
    return new DeliveryConfig(
        workers(),
        attemptTimeout(),
        allowPrivateTargets(),
        signingSecret(),
        Math.toIntExact(get(NodeSettings.RESPONSE_CAPTURE_BYTES)));
  }

  /** This node's id; one of {@link #peers()}. */
  public String nodeId() {
    return get(NODE_ID);
  }

  public String shardId() {
    return get(SHARD_ID);
  }

  /** The shard's Raft group: this node and its two partners. */
  public List<Peer> peers() {
    return get(PEERS);
  }

  public Peer self() {
    return raft().self();
  }

  public String httpHost() {
    return get(HTTP_HOST);
  }

  /** 0 picks a free port (tests). */
  public int httpPort() {
    return get(HTTP_PORT);
  }

  public Path dataDir() {
    return get(DATA_DIR);
  }

  /** Attempts in flight at once on the leader. */
  public int workers() {
    return get(WORKERS);
  }

  /** Attempts in flight at once to one destination host. */
  public int perHostConcurrency() {
    return get(PER_HOST_CONCURRENCY);
  }

  public long maxPending() {
    return get(MAX_PENDING);
  }

  public int maxRequestBytes() {
    return get(MAX_REQUEST_BYTES);
  }

  public int maxBodyBytes() {
    return get(MAX_BODY_BYTES);
  }

  /** Standard Webhooks secret ({@code whsec_<base64>}); deliveries are signed when present. */
  public Optional<String> signingSecret() {
    return Optional.ofNullable(get(SIGNING_SECRET)).filter(s -> !s.isBlank());
  }

  /** The tenants file API keys are checked against; null when the node serves without keys. */
  public Path tenantsFile() {
    return AuthSettings.tenantsFile(values);
  }

  /** Whether webhook targets on loopback, private and link-local addresses are allowed. */
  public boolean allowPrivateTargets() {
    return get(ALLOW_PRIVATE_TARGETS);
  }

  /** Per-attempt timeout for jobs that set none. */
  /** How long a destination may fail without a success before it is disabled. */
  public Duration destinationDisableAfter() {
    return get(DESTINATION_DISABLE_AFTER);
  }

  public Duration attemptTimeout() {
    return get(ATTEMPT_TIMEOUT);
  }

  /** Retry policy for fields a job leaves out. */
  public RetrySpec defaultRetry() {
    return defaultRetry;
  }

  public Duration idempotencyWindow() {
    return get(IDEMPOTENCY_WINDOW);
  }

  /** SIGTERM's budget for the leadership transfer, in-flight attempts and their outcomes. */
  public Duration shutdownGrace() {
    return get(SHUTDOWN_GRACE);
  }

  /** Raft log entries between automatic snapshots. */
  public long snapshotThreshold() {
    return get(SNAPSHOT_THRESHOLD);
  }

  public int groupCommitMaxJobs() {
    return get(GROUP_COMMIT_MAX_JOBS);
  }

  public Duration groupCommitMaxDelay() {
    return get(GROUP_COMMIT_MAX_DELAY);
  }

  /**
   * Size at which a Raft log segment is closed; only closed segments are purged after a snapshot.
   */
  public long raftSegmentBytes() {
    return get(RAFT_SEGMENT_BYTES);
  }

  /**
   * The proxies' shard map file: when present, the node refuses job ids its shard does not own
   * (421) and draws its own ids on its shard. Read at start-up ({@link ShardNode#start}).
   */
  public Optional<Path> shardMap() {
    return Optional.ofNullable(get(SHARD_MAP));
  }

  /** How long finished jobs (and their idempotency records) stay readable before purging. */
  public Duration retention() {
    return get(RETENTION);
  }

  /** The leader's schedule loop (README, "Schedules"). */
  public dev.shardhook.node.raft.ScheduleLoop.Config schedules() {
    return new dev.shardhook.node.raft.ScheduleLoop.Config(
        get(NodeSettings.SCHEDULE_INTERVAL), get(NodeSettings.SCHEDULE_CATCH_UP_AFTER));
  }

  /**
   * Where finished jobs are exported: off, the embedded database under the data dir, or the shared
   * one {@code --history-jdbc-url} names (README, "Job history").
   */
  public HistoryConfig history() {
    String url = get(HISTORY_JDBC_URL);
    HistoryConfig.Mode mode =
        get(HISTORY).equals("off")
            ? HistoryConfig.Mode.OFF
            : url == null || url.isBlank()
                ? HistoryConfig.Mode.EMBEDDED
                : HistoryConfig.Mode.SHARED;
    return new HistoryConfig(
        mode,
        mode == HistoryConfig.Mode.SHARED ? url : null,
        get(HISTORY_JDBC_USER),
        get(HISTORY_JDBC_PASSWORD),
        get(HISTORY_RETENTION));
  }

  /** Usable bytes the data disk keeps in reserve: below it new jobs get 507. */
  public long minFreeDiskBytes() {
    return get(MIN_FREE_DISK);
  }

  /**
   * This node's certificate, key and CA: when present the HTTP API is HTTPS and asks clients for a
   * certificate signed by the CA, and Raft's gRPC is mutual TLS (README, "TLS and mTLS").
   */
  public Optional<TlsFiles> tls() {
    return TlsSettings.from(values);
  }

  private <T> T get(Setting<T> setting) {
    return values.get(setting);
  }

  /** Mutable builder with the documented defaults. */
  public static final class Builder {
    private final SettingMap.Builder values;
    private RetrySpec defaultRetry = DEFAULT_RETRY;

    private Builder(SettingMap.Builder values) {
      this.values = values;
    }

    /** Sets any of {@link NodeSettings}. */
    public <T> Builder set(Setting<T> setting, T value) {
      values.set(setting, value);
      return this;
    }

    public Builder nodeId(String v) {
      return set(NODE_ID, v);
    }

    public Builder shardId(String v) {
      return set(SHARD_ID, v);
    }

    public Builder peers(List<Peer> v) {
      return set(PEERS, List.copyOf(v));
    }

    /** Parses {@code id=host:port,id=host:port,...}. */
    public Builder peers(String spec) {
      try {
        return set(PEERS, PEERS.format().parse(spec));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(PEERS.name() + ": " + e.getMessage());
      }
    }

    public Builder httpHost(String v) {
      return set(HTTP_HOST, v);
    }

    public Builder httpPort(int v) {
      return set(HTTP_PORT, v);
    }

    public Builder dataDir(Path v) {
      return set(DATA_DIR, v);
    }

    public Builder workers(int v) {
      return set(WORKERS, v);
    }

    public Builder perHostConcurrency(int v) {
      return set(PER_HOST_CONCURRENCY, v);
    }

    public Builder destinationDisableAfter(Duration v) {
      return set(DESTINATION_DISABLE_AFTER, v);
    }

    public Builder maxPending(long v) {
      return set(MAX_PENDING, v);
    }

    public Builder maxRequestBytes(int v) {
      return set(MAX_REQUEST_BYTES, v);
    }

    public Builder maxBodyBytes(int v) {
      return set(MAX_BODY_BYTES, v);
    }

    public Builder signingSecret(String v) {
      return set(SIGNING_SECRET, v);
    }

    public Builder tenantsFile(Path v) {
      return set(AuthSettings.TENANTS_FILE, v);
    }

    /** Serve without API keys (tests, local experiments). */
    public Builder insecureNoAuth(boolean v) {
      return set(AuthSettings.INSECURE_NO_AUTH, v);
    }

    public Builder allowPrivateTargets(boolean v) {
      return set(ALLOW_PRIVATE_TARGETS, v);
    }

    public Builder attemptTimeout(Duration v) {
      return set(ATTEMPT_TIMEOUT, v);
    }

    /** Body bytes of each answer kept in the attempt log; 0 keeps nothing. */
    public Builder responseCaptureBytes(long v) {
      return set(NodeSettings.RESPONSE_CAPTURE_BYTES, v);
    }

    public Builder defaultRetry(RetrySpec v) {
      defaultRetry = v;
      return this;
    }

    public Builder idempotencyWindow(Duration v) {
      return set(IDEMPOTENCY_WINDOW, v);
    }

    public Builder shutdownGrace(Duration v) {
      return set(SHUTDOWN_GRACE, v);
    }

    public Builder snapshotThreshold(long v) {
      return set(SNAPSHOT_THRESHOLD, v);
    }

    public Builder groupCommitMaxJobs(int v) {
      return set(GROUP_COMMIT_MAX_JOBS, v);
    }

    public Builder groupCommitMaxDelay(Duration v) {
      return set(GROUP_COMMIT_MAX_DELAY, v);
    }

    public Builder raftSegmentBytes(long v) {
      return set(RAFT_SEGMENT_BYTES, v);
    }

    /** null: no shard map, every job id is this shard's. */
    public Builder shardMap(Path v) {
      return set(SHARD_MAP, v);
    }

    public Builder retention(Duration v) {
      return set(RETENTION, v);
    }

    /** The job history: {@link HistoryConfig#off()}, embedded, or a shared database. */
    public Builder history(HistoryConfig v) {
      set(HISTORY, v.enabled() ? "on" : "off");
      set(HISTORY_JDBC_URL, v.mode() == HistoryConfig.Mode.SHARED ? v.jdbcUrl() : null);
      set(HISTORY_JDBC_USER, v.user());
      set(HISTORY_JDBC_PASSWORD, v.password());
      return set(HISTORY_RETENTION, v.retention());
    }

    public Builder minFreeDiskBytes(long v) {
      return set(MIN_FREE_DISK, v);
    }

    /** null: TLS off. */
    public Builder tls(TlsFiles v) {
      set(TlsSettings.CERT, v == null ? null : v.cert());
      set(TlsSettings.KEY, v == null ? null : v.key());
      return set(TlsSettings.CA, v == null ? null : v.ca());
    }

    /**
     * @throws InvalidConfigException naming the first bad setting
     */
    public NodeConfig build() {
      SettingMap checked = values.build();
      NodeSettings.DESTINATION_BREAKER.from(checked);
      AuthSettings.tenantsFile(checked);
      TlsSettings.from(checked);
      var ids = new HashSet<String>();
      for (Peer p : checked.get(PEERS)) {
        require(
            p.id().matches("[A-Za-z0-9._-]{1,64}"), "peers", "ids matching [A-Za-z0-9._-]{1,64}");
        require(ids.add(p.id()), "peers", "distinct ids (" + p.id() + " twice)");
        require(p.port() > 0 && p.port() < 65536, "peers", "ports in 1..65535");
      }
      require(ids.contains(checked.get(NODE_ID)), "node-id", "one of the peers' ids " + ids);
      require(
          checked.get(MAX_REQUEST_BYTES) >= checked.get(MAX_BODY_BYTES),
          "max-request-bytes",
          ">= max-body-bytes");
      require(
          checked
                  .get(RAFT_CLIENT_RETRY_MAX_SLEEP)
                  .compareTo(checked.get(RAFT_CLIENT_RETRY_MIN_SLEEP))
              >= 0,
          "raft-client-retry-max-sleep",
          ">= raft-client-retry-min-sleep");
      require(defaultRetry != null && defaultRetry.maxAttempts() != null, "retry", "complete");
      return new NodeConfig(checked, defaultRetry);
    }
  }
}
