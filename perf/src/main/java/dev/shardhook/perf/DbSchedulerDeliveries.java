package dev.shardhook.perf;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The db-scheduler side of {@code deliver}: what a Java team would otherwise build. A one-time task
 * per webhook in PostgreSQL (HikariCP pool), executed by a db-scheduler with as many threads as
 * Shardhook has workers, polling with lock-and-fetch ({@code SELECT … FOR UPDATE SKIP LOCKED});
 * each execution posts the webhook with the JDK's HTTP client and fails (to be retried) unless the
 * answer is 2xx.
 */
final class DbSchedulerDeliveries implements DeliveryRun.Submitter, AutoCloseable {
  /** How often an idle scheduler looks for due executions; busy, it fetches as threads free up. */
  static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

  static final int SCHEDULE_BATCH = 500;

  // db-scheduler's PostgreSQL table (src/test/resources/postgresql_tables.sql in its repository).
  private static final String SCHEMA =
      """
      create table scheduled_tasks (
        task_name text not null,
        task_instance text not null,
        task_data bytea,
        execution_time timestamp with time zone,
        picked boolean not null,
        picked_by text,
        last_success timestamp with time zone,
        last_failure timestamp with time zone,
        consecutive_failures int,
        last_heartbeat timestamp with time zone,
        version bigint not null,
        priority smallint,
        state text,
        primary key (task_name, task_instance));
      create index execution_time_idx on scheduled_tasks (execution_time);
      create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
      create index priority_execution_time_idx
        on scheduled_tasks (priority desc, execution_time asc);
      """;

  private final HikariDataSource pool;
  private final HttpClient http;
  private final Scheduler scheduler;
  private final OneTimeTask<String> webhook;
  private final LongAdder failed = new LongAdder();

  private DbSchedulerDeliveries(HikariDataSource pool, int threads) {
    this.pool = pool;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.webhook =
        Tasks.oneTime("webhook", String.class)
            .execute((instance, context) -> deliver(instance.getId(), instance.getData()));
    this.scheduler =
        Scheduler.create(pool, webhook)
            .threads(threads)
            .pollUsingLockAndFetch(0.5, 1.0)
            .pollingInterval(POLLING_INTERVAL)
            .enableImmediateExecution()
            .shutdownMaxWait(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Creates db-scheduler's table in the database at {@code jdbcUrl} and starts a scheduler with
   * {@code threads} execution threads.
   */
  static DbSchedulerDeliveries start(String jdbcUrl, int threads) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSize(threads));
    config.setPoolName("db-scheduler");
    HikariDataSource pool = new HikariDataSource(config);
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(SCHEMA);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw e;
    }
    DbSchedulerDeliveries deliveries = new DbSchedulerDeliveries(pool, threads);
    deliveries.scheduler.start();
    return deliveries;
  }

  /** Connections: one per execution thread up to 64, plus a few for polling and scheduling. */
  static int poolSize(int threads) {
    return Math.min(threads, 64) + 4;
  }

  /** PostgreSQL's {@code max_connections} for a pool of {@link #poolSize}. */
  static int maxConnections(int threads) {
    return poolSize(threads) + 10;
  }

  /**
   * Schedules every job due now (or at its {@link WebhookJob#runAt}, the batch's first's), {@value
   * #SCHEDULE_BATCH} per JDBC batch, in one thread.
   */
  @Override
  public void submitAll(List<WebhookJob> jobs, Consumer<String> onAccepted) {
    for (int from = 0; from < jobs.size(); from += SCHEDULE_BATCH) {
      List<WebhookJob> batch = jobs.subList(from, Math.min(jobs.size(), from + SCHEDULE_BATCH));
      List<TaskInstance<?>> instances = new ArrayList<>(batch.size());
      for (WebhookJob job : batch) {
        instances.add(webhook.instance(job.id(), job.url() + "\n" + job.body()));
      }
      try {
        Instant runAt = batch.get(0).runAt();
        scheduler.scheduleBatch(instances, runAt == null ? Instant.now() : runAt);
        batch.forEach(job -> onAccepted.accept(job.id()));
      } catch (RuntimeException e) {
        failed.add(batch.size());
      }
    }
  }

  @Override
  public long failed() {
    return failed.sum();
  }

  private void deliver(String id, String data) {
    int newline = data.indexOf('\n');
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(data.substring(0, newline)))
            .timeout(Duration.ofSeconds(10))
            .header("webhook-id", id)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(data.substring(newline + 1)))
            .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException("webhook " + id + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (status < 200 || status > 299) {
      throw new IllegalStateException("webhook " + id + ": HTTP " + status);
    }
  }

  @Override
  public void close() {
    try {
      scheduler.stop();
    } finally {
      http.close();
      pool.close();
    }
  }
}
