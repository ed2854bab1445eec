package dev.shardhook.client;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.JobStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the caller's jobs to list ({@link ShardhookClient#list(JobQuery)}) or replay ({@link
 * ShardhookClient#replayAll(JobQuery)}). Every field is optional; unset fields do not filter.
 * Immutable; start from {@link #all()} or {@link #builder()}.
 *
 * <p>{@code createdAfter} and {@code createdBefore} are both exclusive, as in the HTTP API.
 */
public final class JobQuery {
  /** Jobs one page holds when no {@link Builder#pageSize(int)} is given. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  /** The largest page the API serves. */
  public static final int MAX_PAGE_SIZE = 1000;

  private static final JobQuery ALL = builder().build();

  private final JobStatus status;
  private final String host;
  private final Instant createdAfter;
  private final Instant createdBefore;
  private final String idempotencyKey;
  private final String queue;
  private final int pageSize;

  private JobQuery(Builder b) {
    this.status = b.status;
    this.host = b.host;
    this.createdAfter = b.createdAfter;
    this.createdBefore = b.createdBefore;
    this.idempotencyKey = b.idempotencyKey;
    this.queue = b.queue;
    this.pageSize = b.pageSize;
  }

  /** Every job of the caller, {@link #DEFAULT_PAGE_SIZE} per page. */
  public static JobQuery all() {
    return ALL;
  }

  /** A builder with no filter set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Only jobs in this status, or null for any. */
  public JobStatus status() {
    return status;
  }

  /** Only jobs whose URL has this host (lower case), or null for any. */
  public String host() {
    return host;
  }

  /** Only jobs created strictly after this instant, or null. */
  public Instant createdAfter() {
    return createdAfter;
  }

  /** Only jobs created strictly before this instant, or null. */
  public Instant createdBefore() {
    return createdBefore;
  }

  /** Only the job created with this idempotency key, or null. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** Only jobs of this named queue, or null for any (README, "Queues"). */
  public String queue() {
    return queue;
  }

  /** Jobs asked for per page (1 to {@link #MAX_PAGE_SIZE}). */
  public int pageSize() {
    return pageSize;
  }

  /**
   * The filter as the HTTP API's query parameters (also the fields of a bulk replay's body), in a
   * stable order; unset fields are left out and the page size is not included.
   */
  public Map<String, String> filterParameters() {
    Map<String, String> p = new LinkedHashMap<>();
    if (status != null) {
      p.put("status", status.name());
    }
    if (host != null) {
      p.put("host", host);
    }
    if (createdAfter != null) {
      p.put("createdAfter", createdAfter.toString());
    }
    if (createdBefore != null) {
      p.put("createdBefore", createdBefore.toString());
    }
    if (idempotencyKey != null) {
      p.put("idempotencyKey", idempotencyKey);
    }
    if (queue != null) {
      p.put("queue", queue);
    }
    return p;
  }

  @Override
  public String toString() {
    return "JobQuery" + filterParameters() + " pageSize=" + pageSize;
  }

  /** Builds a {@link JobQuery}; each setter replaces the previous value (null unsets it). */
  public static final class Builder {
    private JobStatus status;
    private String host;
    private Instant createdAfter;
    private Instant createdBefore;
    private String idempotencyKey;
    private String queue;
    private int pageSize = DEFAULT_PAGE_SIZE;

    private Builder() {}

    /** Only jobs in this status. */
    public Builder status(JobStatus status) {
      this.status = status;
      return this;
    }

    /** Only jobs whose URL has this host; compared in lower case. */
    public Builder host(String host) {
      if (host != null && host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      this.host = host;
      return this;
    }

    /** Only jobs created strictly after {@code instant}. */
    public Builder createdAfter(Instant instant) {
      this.createdAfter = instant;
      return this;
    }

    /** Only jobs created strictly before {@code instant}. */
    public Builder createdBefore(Instant instant) {
      this.createdBefore = instant;
      return this;
    }

    /** Only the job created with this idempotency key. */
    public Builder idempotencyKey(String key) {
      if (key != null && key.isEmpty()) {
        throw new IllegalArgumentException("idempotencyKey must not be empty");
      }
      this.idempotencyKey = key;
      return this;
    }

    /** Only jobs of this named queue (listing only: a bulk replay takes no queue yet). */
    public Builder queue(String queue) {
      if (queue != null && !JobRules.isQueueName(queue)) {
        throw new IllegalArgumentException("queue must match [A-Za-z0-9_-]{1,64}: " + queue);
      }
      this.queue = queue;
      return this;
    }

    /** Jobs asked for per page, 1 to {@link #MAX_PAGE_SIZE}. */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw new IllegalArgumentException(
            "pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /** The query; rejects {@code createdAfter} not before {@code createdBefore}. */
    public JobQuery build() {
      if (createdAfter != null
          && createdBefore != null
          && !createdAfter.isBefore(Objects.requireNonNull(createdBefore))) {
        throw new IllegalArgumentException("createdAfter must be before createdBefore");
      }
      return new JobQuery(this);
    }
  }
}
