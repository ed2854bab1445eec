package dev.shardhook.node.raft;

import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.api.problem.InsufficientStorageException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoredJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * {@link JobService} over Raft: writes are proposed through {@link RaftShard#propose} (straight in
 * on the leader, else through the Raft client, which finds it), submissions share entries through
 * an {@link EntryBatcher}, reads are linearizable (ReadIndex) and served by this node.
 */
public final class RaftJobService implements JobService, AutoCloseable {
  // A follower's page is read off the Raft client's threads, which must not wait on the store.
  private static final Executor LIST_READS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("list-read-", 0).factory());

  private final RaftShard shard;
  private final JobStore store;
  private final Admission admission;
  private final Clock clock;
  private final EntryBatcher<NewJob, SubmitResult> submits;
  private final DiskReserve diskReserve;
  // How long a request may wait for its entry to commit before the caller gets a 503.
  private final Duration commitTimeout;

  public RaftJobService(
      RaftShard shard,
      JobStore store,
      Admission admission,
      GroupCommitConfig config,
      DiskReserve diskReserve) {
    this(shard, store, admission, config, diskReserve, Clock.systemUTC());
  }

  RaftJobService(
      RaftShard shard,
      JobStore store,
      Admission admission,
      GroupCommitConfig config,
      DiskReserve diskReserve,
      Clock clock) {
    this.shard = shard;
    this.store = store;
    this.admission = admission;
    this.diskReserve = diskReserve;
    this.clock = clock;
    this.commitTimeout = config.commitTimeout();
    this.submits =
        new EntryBatcher<>(
            "group-commit",
            config.groupCommitMaxJobs(),
            RaftShard.MAX_ENTRY_BYTES / 2,
            config.groupCommitMaxDelay(),
            config.groupCommitMaxInFlight(),
            commitTimeout,
            () ->
                new ShardUnavailableException(
                    "the request was not submitted: the shard did not take it within "
                        + commitTimeout.toSeconds()
                        + " s; nothing was created, it is safe to send it again",
                    null),
            RaftJobService::weigh,
            this::sendSubmit);
  }

  private static int weigh(NewJob job) {
    int size = 256 + job.url().length();
    if (job.body() != null) {
      size += job.body().length() * 3;
    }
    for (var h : job.headers().entrySet()) {
      size += h.getKey().length() + h.getValue().length() * 3 + 8;
    }
    return size;
  }

  /**
   * Sheds load before replication: while the shard is full, new jobs are refused here and never
   * reach the log; resubmissions of jobs this node's store holds still go through, for their replay
   * answer. The leader's admission in {@code startTransaction} has the last word.
   */
  @Override
  public CompletableFuture<List<SubmitResult>> submit(List<NewJob> jobs) {
    try {
      // This node's own disk; the leader checks its disk again before the entry is logged.
      diskReserve.requireRoom();
    } catch (InsufficientStorageException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!admission.full()) {
      return submits.add(jobs);
    }
    long now = clock.millis();
    SubmitResult[] results = new SubmitResult[jobs.size()];
    List<NewJob> known = new ArrayList<>();
    List<Integer> knownAt = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (admission.known(jobs.get(i), now)) {
        known.add(jobs.get(i));
        knownAt.add(i);
      } else {
        results[i] = new SubmitResult(SubmitResult.Kind.QUEUE_FULL, null);
      }
    }
    if (known.isEmpty()) {
      return CompletableFuture.completedFuture(Arrays.asList(results));
    }
    return submits
        .add(known)
        .thenApply(
            replies -> {
              for (int j = 0; j < replies.size(); j++) {
                results[knownAt.get(j)] = replies.get(j);
              }
              return Arrays.asList(results);
            });
  }

  /**
   * A submission whose direct proposal had to be sent again may commit twice: its second copy then
   * finds the job the first one created and says "replayed", yet this very request created it, so
   * the caller gets {@code CREATED}. (A client's own resubmission racing this one would also be
   * told {@code CREATED}: either way the job exists once.)
   */
  private CompletableFuture<List<SubmitResult>> sendSubmit(List<NewJob> jobs) {
    AtomicBoolean resent = new AtomicBoolean();
    CompletableFuture<RaftClientReply> sent =
        shard.propose(
            CommandCodec.proposal(new Command.Submit(0, 0, List.of(), jobs)),
            () -> resent.set(true));
    return guard(
        sent,
        reply -> {
          List<SubmitResult> results = CommandCodec.submitResults(reply.getMessage().getContent());
          return resent.get() ? ownCopies(results) : results;
        },
        true);
  }

  private static List<SubmitResult> ownCopies(List<SubmitResult> results) {
    return results.stream()
        .map(
            r ->
                r.kind() == SubmitResult.Kind.REPLAYED
                    ? new SubmitResult(SubmitResult.Kind.CREATED, r.job())
                    : r)
        .toList();
  }

  @Override
  public Optional<String> waitingFor(JobRecord job) {
    if (job.orderingKey() == null || job.state() != JobState.PENDING) {
      return Optional.empty();
    }
    return store
        .orderingSeq(job.id())
        .flatMap(seq -> store.orderingPredecessor(OrderingKeys.scopedKey(job), seq));
  }

  @Override
  public CompletableFuture<Optional<JobRecord>> get(String id) {
    if (shard.isLeaderReady()) {
      return CompletableFuture.completedFuture(store.job(id).map(StoredJob::job));
    }
    return guard(
        shard
            .readClient()
            .async()
            .sendReadOnly(Message.valueOf(CommandCodec.GET_PREFIX + id), shard.self()),
        reply -> CommandCodec.job(reply.getMessage().getContent()),
        false);
  }

  /**
   * The leader reads its applied state, as {@link #get} does. A follower first has Ratis confirm
   * (ReadIndex) that it applied everything committed when the read began, with a lookup of no job,
   * then reads its own store: a page is too big to travel back as a query answer.
   */
  @Override
  public CompletableFuture<JobPage> list(JobQuery query) {
    if (shard.isLeaderReady()) {
      return CompletableFuture.completedFuture(store.list(query));
    }
    return guard(
            shard
                .readClient()
                .async()
                .sendReadOnly(Message.valueOf(CommandCodec.GET_PREFIX), shard.self()),
            reply -> reply,
            false)
        .thenApplyAsync(reply -> store.list(query), LIST_READS);
  }

  @Override
  public CompletableFuture<CancelResult> cancel(String id) {
    return write(
        new Command.Cancel(id, 0),
        reply -> CommandCodec.cancelResult(reply.getMessage().getContent()));
  }

  @Override
  public CompletableFuture<List<ReplayResult>> replay(List<String> ids) {
    return write(
        new Command.Replay(0, List.of(), ids),
        reply -> CommandCodec.replayResults(reply.getMessage().getContent()));
  }

  @Override
  public CompletableFuture<OperationResult> startOperation(OperationRecord operation) {
    return write(
        new Command.StartOperation(operation, 0),
        reply -> CommandCodec.operationResult(reply.getMessage().getContent()));
  }

  /** As {@link #list}: the leader reads its applied state, a follower after a ReadIndex. */
  @Override
  public CompletableFuture<Optional<OperationRecord>> operation(String id) {
    if (shard.isLeaderReady()) {
      return CompletableFuture.completedFuture(store.operation(id));
    }
    return guard(
            shard
                .readClient()
                .async()
                .sendReadOnly(Message.valueOf(CommandCodec.GET_PREFIX), shard.self()),
            reply -> reply,
            false)
        .thenApplyAsync(reply -> store.operation(id), LIST_READS);
  }

  /**
   * Completes once this node has applied everything committed when it was called: at once on the
   * ready leader, after a ReadIndex on a follower (as {@link #list}).
   */
  CompletableFuture<Void> caughtUp() {
    if (shard.isLeaderReady()) {
      return CompletableFuture.completedFuture(null);
    }
    return guard(
            shard
                .readClient()
                .async()
                .sendReadOnly(Message.valueOf(CommandCodec.GET_PREFIX), shard.self()),
            reply -> reply,
            false)
        .thenApplyAsync(reply -> null, LIST_READS);
  }

  <T> CompletableFuture<T> write(Command command, Function<RaftClientReply, T> decode) {
    return guard(shard.propose(CommandCodec.proposal(command)), decode, true);
  }

  /**
   * A proposal that fails without a reply (timed out, the Raft client gave up) may have reached the
   * log and may still commit: that is a {@link CommitUnknownException}, never a plain 503 that
   * would tell the client nothing happened. A reply that refuses the request is certain.
   */
  private <T> CompletableFuture<T> guard(
      CompletableFuture<RaftClientReply> sent, Function<RaftClientReply, T> decode, boolean write) {
    return sent.orTimeout(commitTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (reply, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                InsufficientStorageException full = insufficientStorage(cause);
                if (full != null) {
                  throw full;
                }
                if (!write) {
                  throw new ShardUnavailableException(
                      "the shard could not answer the read: " + cause, cause);
                }
                throw new CommitUnknownException(
                    "the shard did not confirm the commit within "
                        + commitTimeout.toSeconds()
                        + " s ("
                        + cause
                        + ")",
                    cause);
              }
              if (!reply.isSuccess()) {
                InsufficientStorageException full = insufficientStorage(reply.getException());
                if (full != null) {
                  throw full;
                }
                throw new ShardUnavailableException(
                    "the shard refused the request: " + reply.getException(), reply.getException());
              }
              return decode.apply(reply);
            });
  }

  /**
   * The leader's disk refusal, also when it came back through gRPC as a message only ({@code
   * StateMachineException: <class> from Server <id>: <detail>}).
   */
  private static InsufficientStorageException insufficientStorage(Throwable refusal) {
    for (Throwable t = refusal; t != null; t = t.getCause()) {
      if (t instanceof InsufficientStorageException e) {
        return e;
      }
    }
    String name = InsufficientStorageException.class.getName();
    if (refusal != null && refusal.getMessage() != null && refusal.getMessage().contains(name)) {
      String rest = refusal.getMessage().substring(refusal.getMessage().indexOf(name));
      int colon = rest.indexOf(": ");
      return new InsufficientStorageException(colon < 0 ? rest : rest.substring(colon + 2));
    }
    return null;
  }

  @Override
  public void close() {
    submits.close();
  }
}
