package dev.shardhook.node.raft;

import dev.shardhook.client.Job;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeException.InsufficientStorageException;
import dev.shardhook.node.NodeException.ShardUnavailableException;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoredJob;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * {@link JobService} over Raft: writes are proposed through {@link RaftShard#propose} (straight in
 * on the leader, else through the Raft client, which finds it), submissions share entries through
 * an {@link EntryBatcher}, reads are linearizable (ReadIndex) and served by this node.
 */
public final class RaftJobService implements JobService, AutoCloseable {
  /** How long a request may wait for its entry to commit before the caller gets a 503. */
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

  private final RaftShard shard;
  private final JobStore store;
  private final EntryBatcher<NewJob, SubmitResult> submits;
  private final DiskReserve diskReserve;

  public RaftJobService(
      RaftShard shard, JobStore store, NodeConfig config, DiskReserve diskReserve) {
    this.shard = shard;
    this.store = store;
    this.diskReserve = diskReserve;
    this.submits =
        new EntryBatcher<>(
            "group-commit",
            config.groupCommitMaxJobs(),
            RaftShard.MAX_ENTRY_BYTES / 2,
            config.groupCommitMaxDelay(),
            8,
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

  @Override
  public CompletableFuture<List<SubmitResult>> submit(List<NewJob> jobs) {
    try {
      // This node's own disk; the leader checks its disk again before the entry is logged.
      diskReserve.requireRoom();
    } catch (InsufficientStorageException e) {
      return CompletableFuture.failedFuture(e);
    }
    return submits.add(jobs);
  }

  private CompletableFuture<List<SubmitResult>> sendSubmit(List<NewJob> jobs) {
    return write(
        new Command.Submit(0, 0, List.of(), jobs),
        reply -> CommandCodec.submitResults(reply.getMessage().getContent()));
  }

  @Override
  public CompletableFuture<Optional<Job>> get(String id) {
    if (shard.isLeaderReady()) {
      return CompletableFuture.completedFuture(store.job(id).map(StoredJob::job));
    }
    return guard(
        shard
            .readClient()
            .async()
            .sendReadOnly(Message.valueOf(CommandCodec.GET_PREFIX + id), shard.self()),
        reply -> CommandCodec.optional(reply.getMessage().getContent(), Job.class));
  }

  @Override
  public CompletableFuture<CancelResult> cancel(String id) {
    return write(
        new Command.Cancel(id, 0),
        reply -> CommandCodec.cancelResult(reply.getMessage().getContent()));
  }

  <T> CompletableFuture<T> write(Command command, Function<RaftClientReply, T> decode) {
    return guard(shard.propose(CommandCodec.proposal(command)), decode);
  }

  private static <T> CompletableFuture<T> guard(
      CompletableFuture<RaftClientReply> sent, Function<RaftClientReply, T> decode) {
    return sent.orTimeout(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (reply, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                InsufficientStorageException full = insufficientStorage(cause);
                if (full != null) {
                  throw full;
                }
                throw new ShardUnavailableException(
                    "the shard could not commit the request: " + cause, cause);
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
