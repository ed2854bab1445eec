package dev.shardhook.node.raft;

import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.job.ScheduleService;
import dev.shardhook.node.store.JobStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.protocol.Message;

/**
 * {@link ScheduleService} over Raft: writes go through the job service's proposal path (same
 * timeouts and problems), reads as {@link RaftJobService#list} does them: the leader reads its
 * applied state, a follower after a ReadIndex.
 */
public final class RaftScheduleService implements ScheduleService {
  private static final Executor READS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("schedule-read-", 0).factory());
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final RaftShard shard;
  private final JobStore store;
  private final RaftJobService jobs;

  public RaftScheduleService(RaftShard shard, JobStore store, RaftJobService jobs) {
    this.shard = shard;
    this.store = store;
    this.jobs = jobs;
  }

  @Override
  public CompletableFuture<ScheduleResult> create(ScheduleRecord schedule) {
    return write(new Command.PutSchedule(schedule, 0));
  }

  @Override
  public CompletableFuture<ScheduleResult> setPaused(String id, boolean paused, Long next) {
    return write(new Command.SetSchedulePaused(id, paused, next, 0));
  }

  @Override
  public CompletableFuture<ScheduleResult> delete(String id) {
    return write(new Command.DeleteSchedule(id));
  }

  @Override
  public CompletableFuture<Optional<ScheduleRecord>> get(String id) {
    return read(() -> store.schedule(id));
  }

  @Override
  public CompletableFuture<List<ScheduleRecord>> list(String tenant, String after, int limit) {
    return read(() -> store.schedulesOf(tenant, after, limit));
  }

  private CompletableFuture<ScheduleResult> write(Command command) {
    return jobs.write(
        command, reply -> CommandCodec.scheduleResult(reply.getMessage().getContent()));
  }

  private <T> CompletableFuture<T> read(Supplier<T> read) {
    if (shard.isLeaderReady()) {
      return CompletableFuture.completedFuture(read.get());
    }
    return shard
        .readClient()
        .async()
        .sendReadOnly(Message.valueOf(CommandCodec.GET_PREFIX), shard.self())
        .orTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handleAsync(
            (reply, error) -> {
              if (error != null || !reply.isSuccess()) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                Throwable why = cause != null ? cause : reply.getException();
                throw new ShardUnavailableException(
                    "the shard could not answer the read: " + why, why);
              }
              return read.get();
            },
            READS);
  }
}
