package dev.shardhook.node.raft;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.routing.ScheduleIds;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreBatch;
import java.util.Map;
import java.util.Optional;

/**
 * The schedule entries' state changes (README, "Schedules"). Deterministic like {@link
 * EntryApplier}: every time comes from the entry.
 */
final class ScheduleApplier {
  private final JobStore store;

  ScheduleApplier(JobStore store) {
    this.store = store;
  }

  /** Creates the schedule, or answers with the one its id names (same request, or a mismatch). */
  ScheduleResult put(StoreBatch batch, Command.PutSchedule p) {
    Optional<ScheduleRecord> earlier = store.schedule(p.schedule().id());
    if (earlier.isPresent()) {
      return new ScheduleResult(
          earlier.get().fingerprint().equals(p.schedule().fingerprint())
              ? ScheduleResult.Kind.EXISTING
              : ScheduleResult.Kind.MISMATCH,
          earlier.get());
    }
    ScheduleRecord created = p.schedule().created(p.atMs());
    batch.putSchedule(created);
    return new ScheduleResult(ScheduleResult.Kind.CREATED, created);
  }

  ScheduleResult setPaused(StoreBatch batch, Command.SetSchedulePaused p) {
    ScheduleRecord s = store.schedule(p.scheduleId()).orElse(null);
    if (s == null) {
      return new ScheduleResult(ScheduleResult.Kind.NOT_FOUND, null);
    }
    if (s.paused() == p.paused() || s.done()) {
      return new ScheduleResult(ScheduleResult.Kind.UPDATED, s);
    }
    ScheduleRecord after = s.paused(p.paused(), p.nextFireAtMs());
    batch.putSchedule(after);
    return new ScheduleResult(ScheduleResult.Kind.UPDATED, after);
  }

  ScheduleResult delete(StoreBatch batch, Command.DeleteSchedule d) {
    ScheduleRecord s = store.schedule(d.scheduleId()).orElse(null);
    if (s == null) {
      return new ScheduleResult(ScheduleResult.Kind.NOT_FOUND, null);
    }
    batch.deleteSchedule(s.id());
    return new ScheduleResult(ScheduleResult.Kind.DELETED, s);
  }

  /**
   * Whether {@code f} is the schedule's to handle now: it exists, runs, and the firing is not
   * before the stored next one (earlier ones were handled by an earlier entry).
   */
  static boolean takes(ScheduleRecord s, Command.FireSchedule f) {
    return s != null && !s.paused() && s.nextFireAtMs() != null && f.fireAtMs() >= s.nextFireAtMs();
  }

  /**
   * The job schedule {@code s} fires for {@code fireAtMs}: its template with the derived id (scoped
   * as the schedule is), due at acceptance, no idempotency key.
   */
  static NewJob job(ScheduleRecord s, long fireAtMs) {
    JobRequest t = template(s.template());
    RetrySpec r = t.retry();
    RetrySettings retry =
        RetrySettings.ofMillis(
            r.maxAttempts(),
            r.initialBackoffMs(),
            r.maxBackoffMs(),
            r.multiplier(),
            r.maxRetryDurationMs());
    String id = ScheduleIds.firedJobId(s.id(), Math.floorDiv(fireAtMs, 1000L));
    return new NewJob(
        id,
        null,
        "schedule:" + s.fingerprint() + ":" + fireAtMs,
        t.url(),
        t.method(),
        t.headers() == null ? Map.of() : t.headers(),
        t.body(),
        null,
        null,
        t.timeoutMs(),
        retry,
        t.queue(),
        t.orderingKey());
  }

  static JobRequest template(String json) {
    try {
      return WireJson.mapper().readValue(json, JobRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable schedule template: " + e.getMessage(), e);
    }
  }
}
