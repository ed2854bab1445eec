package dev.shardhook.node.raft;

import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import dev.shardhook.node.codec.OperationBinary;
import dev.shardhook.node.codec.QueueBinary;
import dev.shardhook.node.codec.ScheduleBinary;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.RetrySettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binary layout of a {@link Command}: version, kind, then the record's components in order.
 * List elements carry a presence byte, so a list with a null element still encodes.
 *
 * <p>Version 2 follows each outcome with its captured response (absent or present); every other
 * field is laid out as in version 1. An entry is written as version 1 whenever no outcome kept a
 * response, so such entries stay readable by earlier builds during a rolling upgrade.
 *
 * <p>Version 3 is written only for the commands earlier builds do not know, replay (kind 5) and the
 * start of a bulk operation (kind 6): they refuse such an entry by its version. Kind 7 is reserved
 * for bulk operations.
 *
 * <p>Version 4 is written for a submit whose jobs name a queue or an ordering key: each job is
 * followed by its {@code queue} and {@code orderingKey}. The commands added with delivery policy
 * are written as version 4 too: queues are kinds 9 to 12, disabling and enabling a destination 13
 * and 14, schedules 15 to 18.
 */
final class CommandBinary {
  static final int VERSION = 1;
  static final int VERSION_WITH_RESPONSES = 2;
  static final int VERSION_WITH_REPLAY = 3;
  static final int VERSION_WITH_POLICY = 4;
  private static final int SUBMIT = 1;
  private static final int OUTCOME = 2;
  private static final int CANCEL = 3;
  private static final int PURGE = 4;
  private static final int REPLAY = 5;
  private static final int START_OPERATION = 6;
  private static final int EXPORTED_THROUGH = 8;
  // Schedules (README, "Schedules"): kinds 15 to 18.
  private static final int PUT_SCHEDULE = 15;
  private static final int SET_SCHEDULE_PAUSED = 16;
  private static final int DELETE_SCHEDULE = 17;
  private static final int FIRE_SCHEDULE = 18;
  private static final int PUT_QUEUE = 9;
  private static final int DELETE_QUEUE = 10;
  private static final int SET_QUEUE_PAUSED = 11;
  private static final int PURGE_QUEUE = 12;
  private static final int DESTINATION_DISABLED = 13;
  private static final int DESTINATION_ENABLED = 14;

  private CommandBinary() {}

  static byte[] encode(Command command) {
    BinaryOut out = new BinaryOut(sizeHint(command));
    boolean withResponses =
        command instanceof Command.Outcome o
            && o.outcomes() != null
            && o.outcomes().stream().anyMatch(x -> x != null && x.response() != null);
    boolean withPolicy = command instanceof Command.Submit s && hasPolicy(s.jobs());
    out.writeByte(
        withPolicy || isDeliveryPolicy(command)
            ? VERSION_WITH_POLICY
            : command instanceof Command.Replay || command instanceof Command.StartOperation
                ? VERSION_WITH_REPLAY
                : withResponses ? VERSION_WITH_RESPONSES : VERSION);
    switch (command) {
      case Command.Submit s -> {
        out.writeByte(SUBMIT);
        out.writeLong(s.acceptedAtMs());
        out.writeLong(s.keyExpiresAtMs());
        out.writeCount(s.rejected().size());
        for (int index : s.rejected()) {
          out.writeInt(index);
        }
        writeJobs(out, s.jobs(), withPolicy);
      }
      case Command.Outcome o -> {
        out.writeByte(OUTCOME);
        writeOutcomes(out, o.outcomes(), withResponses);
        writeJitters(out, o.jitters());
      }
      case Command.Cancel c -> {
        out.writeByte(CANCEL);
        out.writeString(c.jobId());
        out.writeLong(c.atMs());
      }
      case Command.Purge p -> {
        out.writeByte(PURGE);
        out.writeLong(p.atMs());
        out.writeLong(p.finishedBeforeMs());
        out.writeInt(p.limit());
      }
      case Command.Replay r -> {
        out.writeByte(REPLAY);
        out.writeLong(r.atMs());
        out.writeCount(r.rejected().size());
        for (int index : r.rejected()) {
          out.writeInt(index);
        }
        out.writeCount(r.jobIds().size());
        for (String id : r.jobIds()) {
          out.writeString(id);
        }
        out.writeString(r.operationId());
        OperationBinary.writePosition(out, r.from());
        OperationBinary.writePosition(out, r.to());
        out.writeBoolean(r.last());
      }
      case Command.StartOperation s -> {
        out.writeByte(START_OPERATION);
        OperationBinary.write(out, s.operation());
        out.writeLong(s.atMs());
      }
      case Command.ExportedThrough e -> {
        out.writeByte(EXPORTED_THROUGH);
        out.writeLong(e.index());
      }
      case Command.PutSchedule p -> {
        out.writeByte(PUT_SCHEDULE);
        ScheduleBinary.write(out, p.schedule());
        out.writeLong(p.atMs());
      }
      case Command.SetSchedulePaused p -> {
        out.writeByte(SET_SCHEDULE_PAUSED);
        out.writeString(p.scheduleId());
        out.writeBoolean(p.paused());
        out.writeNullableLong(p.nextFireAtMs());
        out.writeLong(p.atMs());
      }
      case Command.DeleteSchedule d -> {
        out.writeByte(DELETE_SCHEDULE);
        out.writeString(d.scheduleId());
      }
      case Command.FireSchedule f -> {
        out.writeByte(FIRE_SCHEDULE);
        out.writeString(f.scheduleId());
        out.writeLong(f.fireAtMs());
        out.writeBoolean(f.fire());
        out.writeInt(f.skipped());
        out.writeNullableLong(f.nextFireAtMs());
        out.writeLong(f.atMs());
      }
      case Command.PutQueue q -> {
        out.writeByte(PUT_QUEUE);
        QueueBinary.write(out, q.queue());
        out.writeLong(q.atMs());
      }
      case Command.DeleteQueue q -> {
        out.writeByte(DELETE_QUEUE);
        out.writeString(q.tenant());
        out.writeString(q.name());
        out.writeLong(q.atMs());
      }
      case Command.SetQueuePaused q -> {
        out.writeByte(SET_QUEUE_PAUSED);
        out.writeString(q.tenant());
        out.writeString(q.name());
        out.writeBoolean(q.paused());
        out.writeLong(q.atMs());
      }
      case Command.PurgeQueue q -> {
        out.writeByte(PURGE_QUEUE);
        out.writeString(q.tenant());
        out.writeString(q.name());
        out.writeLong(q.createdBeforeMs());
        out.writeInt(q.limit());
        out.writeLong(q.atMs());
      }
      case Command.DestinationDisabled d -> {
        out.writeByte(DESTINATION_DISABLED);
        out.writeString(d.host());
        out.writeLong(d.atMs());
        out.writeString(d.reason());
      }
      case Command.DestinationEnabled d -> {
        out.writeByte(DESTINATION_ENABLED);
        out.writeString(d.host());
        out.writeLong(d.atMs());
      }
    }
    return out.toByteArray();
  }

  static Command decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty log entry");
    }
    if (bytes[0] < VERSION || bytes[0] > VERSION_WITH_POLICY) {
      throw new IllegalArgumentException("unknown log entry format version " + (bytes[0] & 0xFF));
    }
    boolean withResponses = bytes[0] >= VERSION_WITH_RESPONSES;
    boolean withPolicy = bytes[0] >= VERSION_WITH_POLICY;
    BinaryIn in = new BinaryIn(bytes, 1, bytes.length - 1);
    int kind = in.readByte();
    Command command =
        switch (kind) {
          case SUBMIT -> {
            long acceptedAtMs = in.readLong();
            long keyExpiresAtMs = in.readLong();
            int count = in.readCount();
            List<Integer> rejected = count < 0 ? null : new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
              rejected.add(in.readInt());
            }
            yield new Command.Submit(
                acceptedAtMs, keyExpiresAtMs, rejected, readJobs(in, withPolicy));
          }
          case OUTCOME -> new Command.Outcome(readOutcomes(in, withResponses), readJitters(in));
          case CANCEL -> new Command.Cancel(in.readString(), in.readLong());
          case PURGE -> new Command.Purge(in.readLong(), in.readLong(), in.readInt());
          case REPLAY -> readReplay(in);
          case START_OPERATION ->
              new Command.StartOperation(OperationBinary.read(in), in.readLong());
          case EXPORTED_THROUGH -> new Command.ExportedThrough(in.readLong());
          case PUT_SCHEDULE -> new Command.PutSchedule(ScheduleBinary.read(in), in.readLong());
          case SET_SCHEDULE_PAUSED ->
              new Command.SetSchedulePaused(
                  in.readString(), in.readBoolean(), in.readNullableLong(), in.readLong());
          case DELETE_SCHEDULE -> new Command.DeleteSchedule(in.readString());
          case FIRE_SCHEDULE ->
              new Command.FireSchedule(
                  in.readString(),
                  in.readLong(),
                  in.readBoolean(),
                  in.readInt(),
                  in.readNullableLong(),
                  in.readLong());
          case PUT_QUEUE -> new Command.PutQueue(QueueBinary.read(in), in.readLong());
          case DELETE_QUEUE ->
              new Command.DeleteQueue(in.readString(), in.readString(), in.readLong());
          case SET_QUEUE_PAUSED ->
              new Command.SetQueuePaused(
                  in.readString(), in.readString(), in.readBoolean(), in.readLong());
          case PURGE_QUEUE ->
              new Command.PurgeQueue(
                  in.readString(), in.readString(), in.readLong(), in.readInt(), in.readLong());
          case DESTINATION_DISABLED ->
              new Command.DestinationDisabled(in.readString(), in.readLong(), in.readString());
          case DESTINATION_ENABLED ->
              new Command.DestinationEnabled(in.readString(), in.readLong());
          default -> throw new IllegalArgumentException("unknown command kind " + kind);
        };
    in.expectEnd();
    return command;
  }

  private static Command.Replay readReplay(BinaryIn in) {
    long atMs = in.readLong();
    int rejectedCount = in.readCount();
    List<Integer> rejected = new ArrayList<>(Math.max(0, rejectedCount));
    for (int i = 0; i < rejectedCount; i++) {
      rejected.add(in.readInt());
    }
    int count = in.readCount();
    if (count < 0) {
      throw new IllegalArgumentException("malformed binary value: null replay ids");
    }
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = in.readString();
      if (id == null) {
        throw new IllegalArgumentException("malformed binary value: null replay id");
      }
      ids.add(id);
    }
    return new Command.Replay(
        atMs,
        rejected,
        ids,
        in.readString(),
        OperationBinary.readPosition(in),
        OperationBinary.readPosition(in),
        in.readBoolean());
  }

  // Bodies dominate submit entries; sizing for them avoids regrowing the buffer per job.
  private static int sizeHint(Command command) {
    if (!(command instanceof Command.Submit s) || s.jobs() == null) {
      return 256;
    }
    long size = 64;
    for (NewJob job : s.jobs()) {
      size += 192;
      if (job != null && job.body() != null) {
        size += job.body().length();
      }
    }
    return (int) Math.min(size, 1 << 24);
  }

  private static void writeJobs(BinaryOut out, List<NewJob> jobs, boolean withPolicy) {
    out.writeCount(jobs == null ? -1 : jobs.size());
    if (jobs == null) {
      return;
    }
    for (NewJob job : jobs) {
      out.writeBoolean(job != null);
      if (job != null) {
        out.writeString(job.id());
        out.writeString(job.idempotencyKey());
        out.writeString(job.fingerprint());
        out.writeString(job.url());
        out.writeString(job.method());
        out.writeStringMap(job.headers());
        out.writeString(job.body());
        out.writeInstant(job.runAt());
        out.writeNullableLong(job.delayMs());
        out.writeLong(job.timeoutMs());
        JobBinary.writeRetry(out, job.retry());
        if (withPolicy) {
          out.writeString(job.queue());
          out.writeString(job.orderingKey());
        }
      }
    }
  }

  /** Kinds 9 to 18 (queues, destinations, schedules), which earlier builds do not know. */
  private static boolean isDeliveryPolicy(Command command) {
    return command instanceof Command.PutQueue
        || command instanceof Command.DeleteQueue
        || command instanceof Command.SetQueuePaused
        || command instanceof Command.PurgeQueue
        || command instanceof Command.DestinationDisabled
        || command instanceof Command.DestinationEnabled
        || command instanceof Command.PutSchedule
        || command instanceof Command.SetSchedulePaused
        || command instanceof Command.DeleteSchedule
        || command instanceof Command.FireSchedule;
  }

  /** Whether a job names a queue or an ordering key, which only format 4 carries. */
  private static boolean hasPolicy(List<NewJob> jobs) {
    if (jobs == null) {
      return false;
    }
    for (NewJob job : jobs) {
      if (job != null
          && (!job.queue().equals(JobRecord.DEFAULT_QUEUE) || job.orderingKey() != null)) {
        return true;
      }
    }
    return false;
  }

  private static List<NewJob> readJobs(BinaryIn in, boolean withPolicy) {
    int count = in.readCount();
    if (count < 0) {
      return null;
    }
    List<NewJob> jobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (!in.readBoolean()) {
        jobs.add(null);
        continue;
      }
      String id = in.readString();
      String idempotencyKey = in.readString();
      String fingerprint = in.readString();
      String url = in.readString();
      String method = in.readString();
      Map<String, String> headers = in.readStringMap();
      String body = in.readString();
      Instant runAt = in.readInstant();
      Long delayMs = in.readNullableLong();
      long timeoutMs = in.readLong();
      RetrySettings retry = JobBinary.readRetry(in);
      String queue = withPolicy ? in.readString() : null;
      String orderingKey = withPolicy ? in.readString() : null;
      jobs.add(
          new NewJob(
              id,
              idempotencyKey,
              fingerprint,
              url,
              method,
              headers,
              body,
              runAt,
              delayMs,
              timeoutMs,
              retry,
              queue,
              orderingKey));
    }
    return jobs;
  }

  private static void writeOutcomes(
      BinaryOut out, List<AttemptOutcome> outcomes, boolean withResponses) {
    out.writeCount(outcomes == null ? -1 : outcomes.size());
    if (outcomes == null) {
      return;
    }
    for (AttemptOutcome o : outcomes) {
      out.writeBoolean(o != null);
      if (o != null) {
        out.writeString(o.jobId());
        out.writeInt(o.attemptNumber());
        out.writeInstant(o.startedAt());
        out.writeLong(o.durationMs());
        out.writeNullableInt(o.statusCode());
        out.writeString(o.error());
        out.writeNullableLong(o.retryAfterMs());
        out.writeBoolean(o.permanent());
        if (withResponses) {
          JobBinary.writeResponse(out, o.response());
        }
      }
    }
  }

  private static List<AttemptOutcome> readOutcomes(BinaryIn in, boolean withResponses) {
    int count = in.readCount();
    if (count < 0) {
      return null;
    }
    List<AttemptOutcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      outcomes.add(
          in.readBoolean()
              ? new AttemptOutcome(
                  in.readString(),
                  in.readInt(),
                  in.readInstant(),
                  in.readLong(),
                  in.readNullableInt(),
                  in.readString(),
                  in.readNullableLong(),
                  in.readBoolean(),
                  withResponses ? JobBinary.readResponse(in) : null)
              : null);
    }
    return outcomes;
  }

  private static void writeJitters(BinaryOut out, List<Double> jitters) {
    out.writeCount(jitters == null ? -1 : jitters.size());
    if (jitters == null) {
      return;
    }
    for (Double jitter : jitters) {
      out.writeNullableDouble(jitter);
    }
  }

  private static List<Double> readJitters(BinaryIn in) {
    int count = in.readCount();
    if (count < 0) {
      return null;
    }
    List<Double> jitters = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      jitters.add(in.readNullableDouble());
    }
    return jitters;
  }
}
