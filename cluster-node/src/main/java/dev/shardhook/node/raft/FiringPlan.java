package dev.shardhook.node.raft;

import dev.shardhook.api.ScheduleRequest;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.schedule.CronSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The firings a leader proposes for one schedule at {@code now} (README, "Schedules"), in order,
 * each with its scheduled time and the next one. Pure: a function of the stored schedule, the time
 * and the catch-up threshold, so tests pin it with explicit times.
 *
 * <p>Firings at or after {@code now - catchUpAfter} are late, not missed: each fires. Older ones
 * were missed (the shard was down) and make one entry by the schedule's policy: {@code fireOnce}
 * fires the latest of them, {@code skip} none; either way the others count as missed.
 */
final class FiringPlan {
  /** Firings one plan holds at most; the next round plans the rest. */
  static final int MAX_FIRINGS = 1_000;

  // Missed firings walked to find the latest; a longer outage of a per-second schedule counts the
  // rest as missed too, without walking them.
  static final int MAX_WALK = 1_000_000;

  private FiringPlan() {}

  static List<Command.FireSchedule> of(ScheduleRecord s, long nowMs, long catchUpAfterMs) {
    List<Command.FireSchedule> plan = new ArrayList<>();
    if (s.paused() || s.done() || s.nextFireAtMs() > nowMs) {
      return plan;
    }
    CronSpec spec = CronSpec.parse(s.cron(), s.timeZone());
    long cutoff = nowMs - catchUpAfterMs;
    Long next = s.nextFireAtMs();
    if (next < cutoff) {
      long latest = next;
      int count = 0;
      Long t = next;
      while (t != null && t < cutoff && count < MAX_WALK) {
        latest = t;
        count++;
        t = following(spec, s, t);
      }
      if (t != null && t < cutoff) {
        // Past the walk limit: jump to the last firing before the cutoff; the rest count as missed.
        latest = lastBefore(spec, s, cutoff, t);
        count++;
        t = following(spec, s, latest);
      }
      boolean fire = !ScheduleRequest.SKIP.equals(s.catchUp());
      plan.add(new Command.FireSchedule(s.id(), latest, fire, fire ? count - 1 : count, t, 0));
      next = t;
    }
    while (next != null && next <= nowMs && plan.size() < MAX_FIRINGS) {
      Long after = following(spec, s, next);
      plan.add(new Command.FireSchedule(s.id(), next, true, 0, after, 0));
      next = after;
    }
    return plan;
  }

  /** The firing after {@code t}, or null past the schedule's end. */
  static Long following(CronSpec spec, ScheduleRecord s, long t) {
    Instant next = spec.nextAfter(Instant.ofEpochMilli(t)).orElse(null);
    if (next == null || (s.endAtMs() != null && next.toEpochMilli() > s.endAtMs())) {
      return null;
    }
    return next.toEpochMilli();
  }

  // The walk stopped at {@code from}: step from a minute before the cutoff, close enough for the
  // finest expression (one a second), to the last firing before it.
  private static long lastBefore(CronSpec spec, ScheduleRecord s, long cutoff, long from) {
    long latest = from;
    Long t = following(spec, s, Math.max(from, cutoff - 60_000));
    while (t != null && t < cutoff) {
      latest = t;
      t = following(spec, s, t);
    }
    return latest;
  }
}
