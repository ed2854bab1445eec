package dev.shardhook.node;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.support.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything one node of a shard needs to start. Immutable; {@link Builder#build()} validates and
 * throws {@link InvalidConfigException} with a message naming the bad setting.
 */
public final class NodeConfig {
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_WORKERS = 256;
  public static final int DEFAULT_PER_HOST_CONCURRENCY = 64;
  public static final long DEFAULT_MAX_PENDING = 1_000_000;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_BODY_BYTES = 256 << 10;
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
  public static final long DEFAULT_SNAPSHOT_THRESHOLD = 100_000;
  public static final int DEFAULT_GROUP_COMMIT_MAX_JOBS = 512;
  public static final long DEFAULT_RAFT_SEGMENT_BYTES = 32L << 20;
  public static final Duration DEFAULT_GROUP_COMMIT_MAX_DELAY = Duration.ofMillis(1);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final long DEFAULT_MIN_FREE_DISK_BYTES = 512L << 20;

  /** 10 attempts, 1 s doubling to 1 h, no overall time limit. */
  public static final RetrySpec DEFAULT_RETRY = new RetrySpec(10, 1_000L, 3_600_000L, 2.0, 0L);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** One member of the shard's Raft group. */
  public record Peer(String id, String host, int port) {
    public String address() {
      return host + ":" + port;
    }
  }

  private final String nodeId;
  private final String shardId;
  private final List<Peer> peers;
  private final String httpHost;
  private final int httpPort;
  private final Path dataDir;
  private final int workers;
  private final int perHostConcurrency;
  private final long maxPending;
  private final int maxRequestBytes;
  private final int maxBodyBytes;
  private final Optional<String> signingSecret;
  private final boolean allowPrivateTargets;
  private final Duration attemptTimeout;
  private final RetrySpec defaultRetry;
  private final Duration idempotencyWindow;
  private final Duration shutdownGrace;
  private final long snapshotThreshold;
  private final int groupCommitMaxJobs;
  private final Duration groupCommitMaxDelay;
  private final long raftSegmentBytes;
  private final Optional<Path> shardMap;
  private final Duration retention;
  private final long minFreeDiskBytes;

  private NodeConfig(Builder b) {
    nodeId = b.nodeId;
    shardId = b.shardId;
    peers = List.copyOf(b.peers);
    httpHost = b.httpHost;
    httpPort = b.httpPort;
    dataDir = b.dataDir;
    workers = b.workers;
    perHostConcurrency = b.perHostConcurrency;
    maxPending = b.maxPending;
    maxRequestBytes = b.maxRequestBytes;
    maxBodyBytes = b.maxBodyBytes;
    signingSecret = Optional.ofNullable(b.signingSecret).filter(s -> !s.isBlank());
    allowPrivateTargets = b.allowPrivateTargets;
    attemptTimeout = b.attemptTimeout;
    defaultRetry = b.defaultRetry;
    idempotencyWindow = b.idempotencyWindow;
    shutdownGrace = b.shutdownGrace;
    snapshotThreshold = b.snapshotThreshold;
    groupCommitMaxJobs = b.groupCommitMaxJobs;
    groupCommitMaxDelay = b.groupCommitMaxDelay;
    raftSegmentBytes = b.raftSegmentBytes;
    shardMap = Optional.ofNullable(b.shardMap);
    retention = b.retention;
    minFreeDiskBytes = b.minFreeDiskBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.nodeId = nodeId;
    b.shardId = shardId;
    b.peers = new ArrayList<>(peers);
    b.httpHost = httpHost;
    b.httpPort = httpPort;
    b.dataDir = dataDir;
    b.workers = workers;
    b.perHostConcurrency = perHostConcurrency;
    b.maxPending = maxPending;
    b.maxRequestBytes = maxRequestBytes;
    b.maxBodyBytes = maxBodyBytes;
    b.signingSecret = signingSecret.orElse(null);
    b.allowPrivateTargets = allowPrivateTargets;
    b.attemptTimeout = attemptTimeout;
    b.defaultRetry = defaultRetry;
    b.idempotencyWindow = idempotencyWindow;
    b.shutdownGrace = shutdownGrace;
    b.snapshotThreshold = snapshotThreshold;
    b.groupCommitMaxJobs = groupCommitMaxJobs;
    b.groupCommitMaxDelay = groupCommitMaxDelay;
    b.raftSegmentBytes = raftSegmentBytes;
    b.shardMap = shardMap.orElse(null);
    b.retention = retention;
    b.minFreeDiskBytes = minFreeDiskBytes;
    return b;
  }

  /** This node's id; one of {@link #peers()}. */
  public String nodeId() {
    return nodeId;
  }

  public String shardId() {
    return shardId;
  }

  /** The shard's Raft group: this node and its two partners. */
  public List<Peer> peers() {
    return peers;
  }

  public Peer self() {
    return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
  }

  public String httpHost() {
    return httpHost;
  }

  /** 0 picks a free port (tests). */
  public int httpPort() {
    return httpPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Attempts in flight at once on the leader. */
  public int workers() {
    return workers;
  }

  /** Attempts in flight at once to one destination host. */
  public int perHostConcurrency() {
    return perHostConcurrency;
  }

  public long maxPending() {
    return maxPending;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Standard Webhooks secret ({@code whsec_<base64>}); deliveries are signed when present. */
  public Optional<String> signingSecret() {
    return signingSecret;
  }

  /** Whether webhook targets on loopback, private and link-local addresses are allowed. */
  public boolean allowPrivateTargets() {
    return allowPrivateTargets;
  }

  /** Per-attempt timeout for jobs that set none. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Retry policy for fields a job leaves out. */
  public RetrySpec defaultRetry() {
    return defaultRetry;
  }

  public Duration idempotencyWindow() {
    return idempotencyWindow;
  }

  /** SIGTERM's budget for the leadership transfer, in-flight attempts and their outcomes. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** Raft log entries between automatic snapshots. */
  public long snapshotThreshold() {
    return snapshotThreshold;
  }

  public int groupCommitMaxJobs() {
    return groupCommitMaxJobs;
  }

  public Duration groupCommitMaxDelay() {
    return groupCommitMaxDelay;
  }

  /**
   * Size at which a Raft log segment is closed; only closed segments are purged after a snapshot.
   */
  public long raftSegmentBytes() {
    return raftSegmentBytes;
  }

  /**
   * The proxies' shard map file: when present, the node refuses job ids its shard does not own
   * (421) and draws its own ids on its shard. Read at start-up ({@link ShardNode#start}).
   */
  public Optional<Path> shardMap() {
    return shardMap;
  }

  /** How long finished jobs (and their idempotency records) stay readable before purging. */
  public Duration retention() {
    return retention;
  }

  /** Usable bytes the data disk keeps in reserve: below it new jobs get 507. */
  public long minFreeDiskBytes() {
    return minFreeDiskBytes;
  }

  /** Mutable builder with the documented defaults. */
  public static final class Builder {
    private String nodeId;
    private String shardId = "shard-0";
    private List<Peer> peers = new ArrayList<>();
    private String httpHost = "0.0.0.0";
    private int httpPort = DEFAULT_HTTP_PORT;
    private Path dataDir = Path.of("data");
    private int workers = DEFAULT_WORKERS;
    private int perHostConcurrency = DEFAULT_PER_HOST_CONCURRENCY;
    private long maxPending = DEFAULT_MAX_PENDING;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private String signingSecret;
    private boolean allowPrivateTargets;
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    private RetrySpec defaultRetry = DEFAULT_RETRY;
    private Duration idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private long snapshotThreshold = DEFAULT_SNAPSHOT_THRESHOLD;
    private int groupCommitMaxJobs = DEFAULT_GROUP_COMMIT_MAX_JOBS;
    private Duration groupCommitMaxDelay = DEFAULT_GROUP_COMMIT_MAX_DELAY;
    private long raftSegmentBytes = DEFAULT_RAFT_SEGMENT_BYTES;
    private Path shardMap;
    private Duration retention = DEFAULT_RETENTION;
    private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;

    private Builder() {}

    public Builder nodeId(String v) {
      nodeId = v;
      return this;
    }

    public Builder shardId(String v) {
      shardId = v;
      return this;
    }

    public Builder peers(List<Peer> v) {
      peers = new ArrayList<>(v);
      return this;
    }

    /** Parses {@code id=host:port,id=host:port,...}. */
    public Builder peers(String spec) {
      List<Peer> parsed = new ArrayList<>();
      for (String part : spec.split(",")) {
        String p = part.trim();
        int eq = p.indexOf('=');
        int colon = p.lastIndexOf(':');
        if (eq <= 0 || colon < eq + 2 || colon == p.length() - 1) {
          throw new InvalidConfigException(
              "peers: '" + p + "' is not id=host:port (example: a=127.0.0.1:9200)");
        }
        int port;
        try {
          port = Integer.parseInt(p.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new InvalidConfigException("peers: bad port in '" + p + "'");
        }
        parsed.add(new Peer(p.substring(0, eq), p.substring(eq + 1, colon), port));
      }
      peers = parsed;
      return this;
    }

    public Builder httpHost(String v) {
      httpHost = v;
      return this;
    }

    public Builder httpPort(int v) {
      httpPort = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder workers(int v) {
      workers = v;
      return this;
    }

    public Builder perHostConcurrency(int v) {
      perHostConcurrency = v;
      return this;
    }

    public Builder maxPending(long v) {
      maxPending = v;
      return this;
    }

    public Builder maxRequestBytes(int v) {
      maxRequestBytes = v;
      return this;
    }

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder signingSecret(String v) {
      signingSecret = v;
      return this;
    }

    public Builder allowPrivateTargets(boolean v) {
      allowPrivateTargets = v;
      return this;
    }

    public Builder attemptTimeout(Duration v) {
      attemptTimeout = v;
      return this;
    }

    public Builder defaultRetry(RetrySpec v) {
      defaultRetry = v;
      return this;
    }

    public Builder idempotencyWindow(Duration v) {
      idempotencyWindow = v;
      return this;
    }

    public Builder shutdownGrace(Duration v) {
      shutdownGrace = v;
      return this;
    }

    public Builder snapshotThreshold(long v) {
      snapshotThreshold = v;
      return this;
    }

    public Builder groupCommitMaxJobs(int v) {
      groupCommitMaxJobs = v;
      return this;
    }

    public Builder groupCommitMaxDelay(Duration v) {
      groupCommitMaxDelay = v;
      return this;
    }

    public Builder raftSegmentBytes(long v) {
      raftSegmentBytes = v;
      return this;
    }

    /** null: no shard map, every job id is this shard's. */
    public Builder shardMap(Path v) {
      shardMap = v;
      return this;
    }

    public Builder retention(Duration v) {
      retention = v;
      return this;
    }

    public Builder minFreeDiskBytes(long v) {
      minFreeDiskBytes = v;
      return this;
    }

    public NodeConfig build() {
      require(nodeId != null && NAME.matcher(nodeId).matches(), "node-id", "[A-Za-z0-9._-]{1,64}");
      require(
          shardId != null && NAME.matcher(shardId).matches(), "shard-id", "[A-Za-z0-9._-]{1,64}");
      require(
          peers.size() == 3 || peers.size() == 1, "peers", "three members (or one, for a test)");
      var ids = new HashSet<String>();
      for (Peer p : peers) {
        require(NAME.matcher(p.id()).matches(), "peers", "ids matching [A-Za-z0-9._-]{1,64}");
        require(ids.add(p.id()), "peers", "distinct ids (" + p.id() + " twice)");
        require(p.port() > 0 && p.port() < 65536, "peers", "ports in 1..65535");
      }
      require(ids.contains(nodeId), "node-id", "one of the peers' ids " + ids);
      require(httpPort >= 0 && httpPort < 65536, "http-port", "0..65535");
      require(dataDir != null, "data-dir", "a directory");
      require(workers >= 1 && workers <= 100_000, "workers", "1..100000");
      require(perHostConcurrency >= 1, "per-host-concurrency", ">= 1");
      require(maxPending >= 1, "max-pending", ">= 1");
      require(maxBodyBytes >= 1, "max-body-bytes", ">= 1");
      require(maxRequestBytes >= maxBodyBytes, "max-request-bytes", ">= max-body-bytes");
      require(
          signingSecret == null || signingSecret.isBlank() || signingSecret.startsWith("whsec_"),
          "signing-secret",
          "whsec_<base64>");
      require(positive(attemptTimeout), "attempt-timeout", "a positive duration");
      require(positive(idempotencyWindow), "idempotency-window", "a positive duration");
      require(shutdownGrace != null && !shutdownGrace.isNegative(), "shutdown-grace", ">= 0");
      require(snapshotThreshold >= 10, "snapshot-threshold", ">= 10");
      require(groupCommitMaxJobs >= 1, "group-commit-max-jobs", ">= 1");
      require(
          groupCommitMaxDelay != null && !groupCommitMaxDelay.isNegative(),
          "group-commit-max-delay",
          ">= 0");
      require(raftSegmentBytes >= 16 << 10, "raft-segment-bytes", ">= 16384");
      require(
          retention != null && retention.toMillis() >= 1_000 && retention.toDays() <= 36_500,
          "retention",
          "between 1s and 100 years");
      require(minFreeDiskBytes >= 0, "min-free-disk", ">= 0");
      require(defaultRetry != null && defaultRetry.maxAttempts() != null, "retry", "complete");
      return new NodeConfig(this);
    }

    private static boolean positive(Duration d) {
      return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String setting, String expected) {
      if (!ok) {
        throw new InvalidConfigException(setting + ": must be " + expected);
      }
    }
  }
}
