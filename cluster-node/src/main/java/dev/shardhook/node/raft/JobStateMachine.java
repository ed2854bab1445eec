package dev.shardhook.node.raft;

import dev.shardhook.api.problem.InsufficientStorageException;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueuePolicies;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard's replicated state machine: Ratis glue around {@link EntryApplier} (state changes),
 * {@link JobStore} (RocksDB) and {@link CheckpointStorage} (snapshots).
 *
 * <p>Admission and stamping happen in {@link #startTransaction} on the leader only; {@link
 * #applyTransaction} is deterministic and writes each entry together with its term-index, so
 * entries replayed after a restart are recognised and skipped.
 */
final class JobStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(JobStateMachine.class);

  private final JobStore store;
  private final EntryApplier applier;
  private final CheckpointStorage storage = new CheckpointStorage();
  private final Clock clock;
  private final Admission admission;
  private final Duration idempotencyWindow;
  private final LeaderListener listener;
  private final AtomicLong unapplicableEntries = new AtomicLong();
  private final DiskReserve diskReserve;
  private volatile long storedAppliedIndex = -1;
  private volatile String stoppedBecause;

  JobStateMachine(
      JobStore store,
      String shardId,
      Admission admission,
      Duration idempotencyWindow,
      Clock clock,
      LeaderListener listener,
      DiskReserve diskReserve) {
    this(store, shardId, admission, idempotencyWindow, clock, listener, diskReserve, false);
  }

  /**
   * @param purgeAfterExport whether the purge keeps jobs the history exporter has not passed (the
   *     same on every node of the shard: history on or off)
   */
  JobStateMachine(
      JobStore store,
      String shardId,
      Admission admission,
      Duration idempotencyWindow,
      Clock clock,
      LeaderListener listener,
      DiskReserve diskReserve,
      boolean purgeAfterExport) {
    this.store = store;
    QueuePolicies queues = new QueuePolicies(store);
    this.applier =
        new EntryApplier(
            store,
            shardId,
            purgeAfterExport,
            (tenant, queue) ->
                queues.orderingOnFailure(tenant, queue) == QueueConfig.OrderingOnFailure.SKIP
                    ? OrderingPolicy.OnFailure.SKIP
                    : OrderingPolicy.OnFailure.BLOCK);
    this.clock = clock;
    this.admission = admission;
    this.idempotencyWindow = idempotencyWindow;
    this.listener = listener;
    this.diskReserve = diskReserve;
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    GenesisSnapshot.writeIfNew(raftStorage, storage, store);
    getLifeCycle().startAndTransition(this::load, IOException.class);
  }

  private void load() throws IOException {
    SnapshotInfo snapshot = storage.refresh();
    long dbIndex = store.applied().map(JobStore.Applied::index).orElse(-1L);
    if (snapshot != null && dbIndex < snapshot.getIndex()) {
      // The live database is older than the newest snapshot (crash during a restore): start from
      // the snapshot, the log holds everything after it.
      Path dir = storage.newest().orElseThrow();
      LOG.info("restoring database from {} (database at {})", dir, dbIndex);
      store.restoreFrom(dir);
    }
    storedAppliedIndex = store.applied().map(JobStore.Applied::index).orElse(-1L);
    if (snapshot != null) {
      setLastAppliedTermIndex(snapshot.getTermIndex());
    }
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext.Builder trx =
        TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request);
    Stamped stamped;
    try {
      stamped = stamp(CommandCodec.decode(request.getMessage().getContent()));
    } catch (InsufficientStorageException e) {
      // Refused before the log: a nearly full disk must not take the jobs' bytes three times.
      TransactionContext refused = trx.setLogData(request.getMessage().getContent()).build();
      refused.setException(e);
      return refused;
    } catch (RuntimeException e) {
      TransactionContext failed = trx.setLogData(request.getMessage().getContent()).build();
      failed.setException(new IOException("cannot decode command: " + e.getMessage(), e));
      return failed;
    }
    // The leader applies this very context: keep the decoded command so apply skips a decode.
    return trx.setLogData(CommandCodec.encode(stamped.command()))
        .setStateMachineContext(stamped)
        .build();
  }

  /** A command as the leader stamped it, and the queue room its entry holds until it applies. */
  private record Stamped(Command command, Admission.Ticket ticket) {
    void release() {
      if (ticket != null) {
        ticket.release();
      }
    }
  }

  private Stamped stamp(Command command) {
    long now = clock.millis();
    return switch (command) {
      case Command.Submit s -> {
        diskReserve.requireRoom();
        yield admit(s, now);
      }
      case Command.Outcome o -> {
        List<Double> jitters = new ArrayList<>(o.outcomes().size());
        for (int i = 0; i < o.outcomes().size(); i++) {
          jitters.add(ThreadLocalRandom.current().nextDouble());
        }
        yield new Stamped(new Command.Outcome(o.outcomes(), jitters), null);
      }
      case Command.Cancel c -> new Stamped(new Command.Cancel(c.jobId(), now), null);
      case Command.Purge p -> new Stamped(p, null);
      case Command.Replay r -> {
        diskReserve.requireRoom();
        yield admit(r, now);
      }
      case Command.StartOperation o ->
          new Stamped(new Command.StartOperation(o.operation(), now), null);
      case Command.ExportedThrough e -> new Stamped(e, null);
      case Command.PutSchedule p -> {
        diskReserve.requireRoom();
        yield new Stamped(new Command.PutSchedule(p.schedule(), now), null);
      }
      case Command.SetSchedulePaused p ->
          new Stamped(
              new Command.SetSchedulePaused(p.scheduleId(), p.paused(), p.nextFireAtMs(), now),
              null);
      case Command.DeleteSchedule d -> new Stamped(d, null);
      case Command.FireSchedule f -> {
        // A firing refused for the disk is proposed again by the next round (README, "Schedules").
        diskReserve.requireRoom();
        yield new Stamped(
            new Command.FireSchedule(
                f.scheduleId(), f.fireAtMs(), f.fire(), f.skipped(), f.nextFireAtMs(), now),
            null);
      }
      case Command.PutQueue q -> new Stamped(new Command.PutQueue(q.queue(), now), null);
      case Command.DeleteQueue q ->
          new Stamped(new Command.DeleteQueue(q.tenant(), q.name(), now), null);
      case Command.SetQueuePaused q ->
          new Stamped(new Command.SetQueuePaused(q.tenant(), q.name(), q.paused(), now), null);
      case Command.PurgeQueue q ->
          new Stamped(
              new Command.PurgeQueue(
                  q.tenant(),
                  q.name(),
                  q.createdBeforeMs() > 0 ? q.createdBeforeMs() : now,
                  q.limit(),
                  now),
              null);
      case Command.DestinationDisabled d ->
          new Stamped(new Command.DestinationDisabled(d.host(), now, d.reason()), null);
      case Command.DestinationEnabled d ->
          new Stamped(new Command.DestinationEnabled(d.host(), now), null);
    };
  }

  /**
   * A replayed job counts against the queue limit as a new one does: those beyond the room are
   * refused and stay as they are. A bulk operation's page is admitted whole or not at all.
   */
  private Stamped admit(Command.Replay r, long now) {
    long room = admission.room();
    int count = r.jobIds().size();
    List<Integer> rejected = new ArrayList<>();
    int admitted;
    if (r.operationId() != null) {
      admitted = count <= room ? count : 0;
    } else {
      admitted = (int) Math.max(0, Math.min(count, room));
    }
    for (int i = admitted; i < count; i++) {
      rejected.add(i);
    }
    return new Stamped(r.stamped(now, rejected), admission.admit(admitted));
  }

  /**
   * Queue limit. A resubmission of a job the store holds is a replay and always goes through; a new
   * job beyond the room is refused, and only its place stays in the entry (no body, no id), so a
   * full shard does not replicate what it refuses.
   */
  private Stamped admit(Command.Submit s, long now) {
    long room = admission.room();
    List<Integer> rejected = new ArrayList<>();
    List<NewJob> logged = new ArrayList<>(s.jobs().size());
    int admitted = 0;
    for (int i = 0; i < s.jobs().size(); i++) {
      NewJob job = s.jobs().get(i);
      if (job == null) {
        logged.add(null);
      } else if (admitted < room) {
        admitted++;
        logged.add(job);
      } else if (admission.known(job, now)) {
        // Looked up only beyond the room: a replay must still get its answer from a full shard.
        logged.add(job);
      } else {
        rejected.add(i);
        logged.add(null);
      }
    }
    Command.Submit stamped =
        new Command.Submit(now, now + idempotencyWindow.toMillis(), rejected, logged);
    return new Stamped(stamped, admission.admit(admitted));
  }

  @Override
  public TransactionContext cancelTransaction(TransactionContext trx) throws IOException {
    if (trx.getStateMachineContext() instanceof Stamped own) {
      own.release();
    }
    return super.cancelTransaction(trx);
  }

  /**
   * Why this replica's state machine stopped (an apply failed for a reason that is not the entry's,
   * such as a store error, and Ratis closed the server), or empty while it applies.
   */
  Optional<String> stoppedBecause() {
    return Optional.ofNullable(stoppedBecause);
  }

  /** Entries skipped because applying them threw; the same on every replica. */
  long unapplicableEntries() {
    return unapplicableEntries.get();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    Stamped own = trx.getStateMachineContext() instanceof Stamped s ? s : null;
    try {
      return apply(trx, own);
    } finally {
      if (own != null) {
        own.release();
      }
    }
  }

  private CompletableFuture<Message> apply(TransactionContext trx, Stamped own) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex ti = TermIndex.valueOf(entry);
    if (ti.getIndex() <= storedAppliedIndex) {
      updateLastAppliedTermIndex(ti);
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    Command command;
    EntryApplier.Applied applied;
    try {
      command =
          own != null
              ? own.command()
              : CommandCodec.decode(entry.getStateMachineLogEntry().getLogData());
      applied = applier.apply(command, ti.getTerm(), ti.getIndex());
    } catch (StoreException e) {
      // The disk, not the entry: skipping it would make this replica differ from the others.
      // Ratis stops the server on this throw; /health reports it so the process is restarted.
      stoppedBecause = "applying entry " + ti + " failed: " + e.getMessage();
      throw e;
    } catch (RuntimeException e) {
      // The entry itself cannot be applied, so it fails the same way on every replica: skip it
      // (recording that it was seen) rather than stop the shard on it for ever.
      LOG.error("entry {} cannot be applied; skipped", ti, e);
      unapplicableEntries.incrementAndGet();
      store.markApplied(ti.getTerm(), ti.getIndex());
      storedAppliedIndex = ti.getIndex();
      updateLastAppliedTermIndex(ti);
      return CompletableFuture.failedFuture(
          new IOException("entry " + ti + " cannot be applied: " + e, e));
    }
    storedAppliedIndex = ti.getIndex();
    updateLastAppliedTermIndex(ti);
    try {
      if (!applied.settledJobIds().isEmpty()) {
        listener.outcomesSettled(applied.settledJobIds());
      }
      if (applied.newDueWork()) {
        listener.dueWorkChanged();
      }
    } catch (RuntimeException e) {
      // The entry is applied; a listener's failure must not reach Ratis, which would stop us.
      LOG.error("leader listener failed after entry {}", ti, e);
    }
    return CompletableFuture.completedFuture(CommandCodec.reply(applied.reply()));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    String q = request.getContent().toStringUtf8();
    if (!q.startsWith(CommandCodec.GET_PREFIX)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown query"));
    }
    Optional<Message> job =
        store
            .job(q.substring(CommandCodec.GET_PREFIX.length()))
            .map(s -> CommandCodec.message(s.job()));
    return CompletableFuture.completedFuture(job.orElse(Message.EMPTY));
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex ti = getLastAppliedTermIndex();
    if (ti == null || ti.getIndex() < 0) {
      return INVALID_INDEX;
    }
    Path tmp = storage.tmpPath();
    store.checkpoint(tmp);
    storage.publish(tmp, ti);
    LOG.info("snapshot taken at {}", ti);
    return ti.getIndex();
  }

  private static final long INVALID_INDEX = -1;

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    SnapshotInfo snapshot = storage.refresh();
    if (snapshot != null) {
      Path dir = storage.newest().orElseThrow();
      LOG.info("installing snapshot {} into the live database", dir);
      store.restoreFrom(dir);
      storedAppliedIndex = store.applied().map(JobStore.Applied::index).orElse(-1L);
      setLastAppliedTermIndex(snapshot.getTermIndex());
    }
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
    listener.dueWorkChanged();
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || index > last.getIndex()) {
      updateLastAppliedTermIndex(term, index);
    }
  }

  @Override
  public void notifyLeaderReady() {
    admission.reset();
    try {
      long term = getServer().join().getDivision(getGroupId()).getInfo().getCurrentTerm();
      listener.leaderReady(term);
    } catch (IOException e) {
      LOG.error("leader ready, but the division is gone; not starting deliveries", e);
    }
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pending) {
    admission.reset();
    listener.leadershipLost();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    if (!member.getPeerId().equals(newLeaderId)) {
      listener.leadershipLost();
    }
  }

  @Override
  public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
    listener.leadershipLost();
  }
}
