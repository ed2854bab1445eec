package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.codec.JobBinary;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoredJob;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryApplierTest {
  static final RetrySettings RETRY = RetrySettings.ofMillis(3, 1_000L, 60_000L, 2.0, 0L);

  @TempDir Path dir;

  static NewJob newJob(String id, String key, String fingerprint) {
    return new NewJob(
        id,
        key,
        fingerprint,
        "http://127.0.0.1:1/h",
        "POST",
        Map.of("A", "b"),
        "{}",
        null,
        500L,
        1_000,
        RETRY);
  }

  /** A fixed sequence of entries: submits, a replay, outcomes (retry, success, failure), cancel. */
  static List<Command> entries() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return List.of(
        new Command.Submit(
            t.toEpochMilli(),
            t.toEpochMilli() + 86_400_000,
            List.of(),
            List.of(newJob("j1", null, "f1"), newJob("j2", "k2", "f2"), newJob("j3", null, "f3"))),
        new Command.Submit(
            t.toEpochMilli() + 5,
            t.toEpochMilli() + 86_400_005,
            List.of(1),
            List.of(newJob("j1", null, "f1"), newJob("j4", null, "f4"))),
        new Command.Outcome(
            List.of(
                new AttemptOutcome("j1", 1, t.plusSeconds(1), 20, 503, "HTTP 503", null, false),
                new AttemptOutcome("j2", 1, t.plusSeconds(1), 30, 200, null, null, false),
                new AttemptOutcome("j3", 1, t.plusSeconds(1), 40, 404, "HTTP 404", null, false),
                new AttemptOutcome("j2", 1, t.plusSeconds(1), 30, 200, null, null, false)),
            List.of(0.25, 0.5, 0.75, 0.1)),
        new Command.Cancel("j1", t.toEpochMilli() + 10_000),
        new Command.Cancel("j2", t.toEpochMilli() + 10_001));
  }

  static byte[] bytes(StoredJob stored) {
    BinaryOut out = new BinaryOut(256);
    JobBinary.writeJob(out, stored.job(), true);
    out.writeString(stored.fingerprint());
    return out.toByteArray();
  }

  @Test
  void theSameEntriesGiveByteIdenticalRecordsOnEveryReplica() throws Exception {
    List<List<byte[]>> replicas = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      try (JobStore store = JobStore.open(dir.resolve("r" + r))) {
        EntryApplier applier = new EntryApplier(store, "shard-x");
        long index = 1;
        for (Command c : entries()) {
          // Through the codec, as the log would carry it.
          applier.apply(CommandCodec.decode(CommandCodec.encode(c)), 1, index++);
        }
        List<byte[]> records = new ArrayList<>();
        for (String id : List.of("j1", "j2", "j3")) {
          records.add(bytes(store.job(id).orElseThrow()));
        }
        assertThat(store.job("j4")).isEmpty();
        records.add(Long.toString(store.pending()).getBytes());
        replicas.add(records);
      }
    }
    for (int i = 0; i < replicas.get(0).size(); i++) {
      assertThat(replicas.get(1).get(i)).isEqualTo(replicas.get(0).get(i));
      assertThat(replicas.get(2).get(i)).isEqualTo(replicas.get(0).get(i));
    }
  }

  @Test
  void appliesIdempotencyRetriesAndCancelsAsTheContractSays() {
    try (JobStore store = JobStore.open(dir.resolve("one"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      List<Command> entries = entries();
      @SuppressWarnings("unchecked")
      List<SubmitResult> first = (List<SubmitResult>) applier.apply(entries.get(0), 1, 1).reply();
      assertThat(first).extracting(SubmitResult::kind).containsOnly(SubmitResult.Kind.CREATED);
      @SuppressWarnings("unchecked")
      List<SubmitResult> second = (List<SubmitResult>) applier.apply(entries.get(1), 1, 2).reply();
      assertThat(second)
          .extracting(SubmitResult::kind)
          .containsExactly(SubmitResult.Kind.REPLAYED, SubmitResult.Kind.QUEUE_FULL);
      applier.apply(entries.get(2), 1, 3);
      assertThat(store.job("j1").orElseThrow().job().state()).isEqualTo(JobState.PENDING);
      assertThat(store.job("j1").orElseThrow().job().attempts()).hasSize(1);
      assertThat(store.job("j2").orElseThrow().job().state()).isEqualTo(JobState.SUCCEEDED);
      // The duplicate outcome for j2 was ignored.
      assertThat(store.job("j2").orElseThrow().job().attempts()).hasSize(1);
      assertThat(store.job("j3").orElseThrow().job().state()).isEqualTo(JobState.FAILED);
      applier.apply(entries.get(3), 1, 4);
      assertThat(store.job("j1").orElseThrow().job().state()).isEqualTo(JobState.CANCELLED);
      assertThat(applier.apply(entries.get(4), 1, 5).reply())
          .hasFieldOrPropertyWithValue(
              "kind", dev.shardhook.node.job.CancelResult.Kind.ALREADY_FINISHED);
      assertThat(store.pending()).isZero();
      assertThat(store.earliestDue()).isEmpty();
      assertThat(store.applied()).contains(new JobStore.Applied(1, 5));
    }
  }

  @Test
  void aNewJobWithAnExistingIdButAnotherRequestIsAMismatch() {
    try (JobStore store = JobStore.open(dir.resolve("mm"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      applier.apply(new Command.Submit(1, 2, List.of(), List.of(newJob("x", null, "a"))), 1, 1);
      @SuppressWarnings("unchecked")
      List<SubmitResult> again =
          (List<SubmitResult>)
              applier
                  .apply(new Command.Submit(3, 4, List.of(), List.of(newJob("x", null, "b"))), 1, 2)
                  .reply();
      assertThat(again.get(0).kind()).isEqualTo(SubmitResult.Kind.MISMATCH);
      assertThat(again.get(0).job().id()).isEqualTo("x");
    }
  }

  private static NewJob at(String id, Instant runAt, Long delayMs) {
    NewJob j = newJob(id, null, "f-" + id);
    return new NewJob(
        id,
        null,
        j.fingerprint(),
        j.url(),
        j.method(),
        j.headers(),
        j.body(),
        runAt,
        delayMs,
        j.timeoutMs(),
        j.retry());
  }

  @Test
  void aJobThatCannotBeAppliedIsRefusedAloneAndExtremeTimesSaturate() {
    Instant accepted = Instant.parse("2026-01-01T00:00:00Z");
    List<NewJob> jobs = new ArrayList<>();
    jobs.add(newJob("ok", "key-ok", "f-ok"));
    jobs.add(null); // a forged entry: no job at all
    jobs.add(at("far", Instant.MAX, null));
    jobs.add(at("long", null, Long.MAX_VALUE));
    jobs.add(at("ancient", Instant.parse("-300000000-01-01T00:00:00Z"), null));
    jobs.add(at("negative", null, Long.MIN_VALUE));
    Command.Submit entry =
        new Command.Submit(accepted.toEpochMilli(), Long.MAX_VALUE, List.of(), jobs);
    List<List<byte[]>> replicas = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      try (JobStore store = JobStore.open(dir.resolve("extreme" + r))) {
        EntryApplier applier = new EntryApplier(store, "shard-x");
        @SuppressWarnings("unchecked")
        List<SubmitResult> results =
            (List<SubmitResult>)
                applier.apply(CommandCodec.decode(CommandCodec.encode(entry)), 1, 1).reply();
        assertThat(results)
            .extracting(SubmitResult::kind)
            .containsExactly(
                SubmitResult.Kind.CREATED,
                SubmitResult.Kind.UNAPPLICABLE,
                SubmitResult.Kind.CREATED,
                SubmitResult.Kind.CREATED,
                SubmitResult.Kind.CREATED,
                SubmitResult.Kind.CREATED);
        assertThat(store.pending()).isEqualTo(5);
        assertThat(store.job("far").orElseThrow().job().nextAttemptAt())
            .isEqualTo(TimeBounds.LATEST);
        assertThat(store.job("long").orElseThrow().job().nextAttemptAt())
            .isEqualTo(TimeBounds.LATEST);
        assertThat(store.job("ancient").orElseThrow().job().nextAttemptAt()).isEqualTo(accepted);
        assertThat(store.job("negative").orElseThrow().job().nextAttemptAt()).isEqualTo(accepted);
        assertThat(store.idempotency("key-ok")).isPresent();
        assertThat(store.applied()).contains(new JobStore.Applied(1, 1));
        List<byte[]> records = new ArrayList<>();
        for (String id : List.of("ok", "far", "long", "ancient", "negative")) {
          records.add(bytes(store.job(id).orElseThrow()));
        }
        replicas.add(records);
      }
    }
    for (int i = 0; i < replicas.get(0).size(); i++) {
      assertThat(replicas.get(1).get(i)).isEqualTo(replicas.get(0).get(i));
    }
  }

  @Test
  void anOutcomeThatCannotBeAppliedIsDroppedAloneAndTheDefaultPolicyApplies() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    NewJob plain = newJob("nr", null, "f-nr");
    NewJob noRetry =
        new NewJob(
            "nr",
            null,
            "f-nr",
            plain.url(),
            plain.method(),
            plain.headers(),
            plain.body(),
            null,
            0L,
            plain.timeoutMs(),
            RetrySettings.DEFAULTS);
    try (JobStore store = JobStore.open(dir.resolve("noretry"))) {
      EntryApplier applier = new EntryApplier(store, "shard-x");
      applier.apply(
          new Command.Submit(t.toEpochMilli(), t.toEpochMilli(), List.of(), List.of(noRetry)),
          1,
          1);
      applier.apply(
          new Command.Outcome(
              List.of(
                  // a forged outcome without a job id: cannot be applied, dropped alone
                  new AttemptOutcome(null, 1, t.plusSeconds(1), 5, 200, null, null, false),
                  new AttemptOutcome("nr", 1, t.plusSeconds(1), 5, 500, "HTTP 500", null, false)),
              List.of(0.5, 0.5)),
          1,
          2);
      var job = store.job("nr").orElseThrow().job();
      assertThat(job.state()).isEqualTo(JobState.PENDING);
      assertThat(job.attempts()).hasSize(1);
      assertThat(job.nextAttemptAt()).isAfter(t.plusSeconds(1));
      assertThat(store.pending()).isEqualTo(1);
      assertThat(store.applied()).contains(new JobStore.Applied(1, 2));
    }
  }
}
