package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minimal reproduction of the stuck follower (issue 9, section 7) against plain Ratis 3.3: one real
 * server {@code a}, and the AppendEntries that leaders {@code b} and {@code c} sent it, replayed by
 * hand.
 *
 * <p>{@code a} holds an uncommitted entry at index 0 from a term it led alone. The new leader's
 * appender learns {@code a} lacks its entry 0 and sets its next index to 0, so its next heartbeat
 * carries no previous entry. Ratis takes "no previous" as "index 0 matches" ({@code
 * ServerImplUtils.effectiveCommitIndex} starts from index 0, not -1) and commits {@code a}'s own
 * entry 0. From then on the leader's entries from 0 are refused as already committed ("send from
 * 1") and its entries from 1 are refused because {@code a}'s entry 0 has another term ("send from
 * 0"), forever. If this test starts failing, Ratis has fixed it and {@code GenesisSnapshot} can go.
 */
class FirstEntryConflictTest {
  private static final RaftGroupId GROUP = RaftGroupId.valueOf(new java.util.UUID(9, 7));

  @TempDir Path dir;

  private RaftServer server;
  private JobStore store;
  private long callId;
  private int[] ports;

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void plainRatisCommitsAFollowersConflictingFirstEntryAndNeverRepairsIt() throws Exception {
    server = startA(new BaseStateMachine());

    // b led term 2 for a moment: a took b's startup entry 0, nothing was committed.
    assertThat(append("b", 2, null, -1, entry(2, 0)).getResult()).isEqualTo(AppendResult.SUCCESS);
    // c won term 3; its log starts with the term-1 entry 0 it kept and has committed index 2.
    // Its appender probed a, got "send from 0", and now sends a heartbeat without previous entry:
    AppendEntriesReplyProto heartbeat = append("c", 3, null, 2);
    assertThat(heartbeat.getResult()).isEqualTo(AppendResult.SUCCESS);

    // The bug: a committed its own term-2 entry 0, which no majority ever held.
    assertThat(log().getLastCommittedIndex()).isZero();
    assertThat(log().getTermIndex(0)).isEqualTo(TermIndex.valueOf(2, 0));

    // The livelock of the evidence logs: each answer sends the leader to the other start.
    AppendEntriesReplyProto fromZero = append("c", 3, null, 2, entry(1, 0), entry(3, 1));
    assertThat(fromZero.getResult()).isEqualTo(AppendResult.INCONSISTENCY);
    assertThat(fromZero.getNextIndex()).isEqualTo(1);
    AppendEntriesReplyProto fromOne = append("c", 3, TermIndex.valueOf(1, 0), 2, entry(3, 1));
    assertThat(fromOne.getResult()).isEqualTo(AppendResult.INCONSISTENCY);
    assertThat(fromOne.getNextIndex()).isZero();
    assertThat(log().getTermIndex(0)).isEqualTo(TermIndex.valueOf(2, 0));
  }

  @Test
  void withTheGenesisSnapshotTheSameHistoryEndsWithTheFollowerCaughtUp() throws Exception {
    store = JobStore.open(dir.resolve("db"));
    server = startA(jobStateMachine());
    assertThat(log().getLastCommittedIndex()).isZero();
    assertThat(log().getNextIndex()).as("the log starts after the genesis snapshot").isEqualTo(1);

    // The same history one index later: b's lone startup entry is index 1, after genesis (0, 0).
    assertThat(append("b", 2, GenesisSnapshot.TERM_INDEX, 0, entry(2, 1)).getResult())
        .isEqualTo(AppendResult.SUCCESS);
    // A heartbeat without previous entry commits at most index 0, the same on every replica.
    assertThat(append("c", 3, null, 2).getResult()).isEqualTo(AppendResult.SUCCESS);
    assertThat(log().getLastCommittedIndex()).isZero();

    // c's probe: a lacks c's index 1, so c sends from 1 after genesis and a takes its entries.
    AppendEntriesReplyProto probe = append("c", 3, TermIndex.valueOf(1, 1), 2);
    assertThat(probe.getResult()).isEqualTo(AppendResult.INCONSISTENCY);
    assertThat(probe.getNextIndex()).isEqualTo(1);
    AppendEntriesReplyProto catchUp =
        append("c", 3, GenesisSnapshot.TERM_INDEX, 2, entry(1, 1), entry(3, 2));
    assertThat(catchUp.getResult()).isEqualTo(AppendResult.SUCCESS);
    assertThat(log().getTermIndex(1)).isEqualTo(TermIndex.valueOf(1, 1));
    assertThat(log().getLastCommittedIndex()).isEqualTo(2);
    await("a applied c's entries")
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.getDivision(GROUP).getInfo().getLastAppliedIndex() == 2);
  }

  @Test
  void aReplicaThatAlreadyHasALogGetsNoGenesisSnapshot() throws Exception {
    server = startA(new BaseStateMachine());
    append("b", 2, null, 0, entry(2, 0));
    server.close();
    server = null;

    store = JobStore.open(dir.resolve("db"));
    server = startA(jobStateMachine());

    assertThat(log().getTermIndex(0)).isEqualTo(TermIndex.valueOf(2, 0));
    assertThat(server.getDivision(GROUP).getStateMachine().getLatestSnapshot()).isNull();
  }

  private JobStateMachine jobStateMachine() {
    return new JobStateMachine(
        store,
        "shard-t",
        new Admission(store, 1000),
        Duration.ofHours(1),
        Clock.systemUTC(),
        new NoLeaderWork(),
        new DiskReserve(() -> Long.MAX_VALUE, 0, Clock.systemUTC()));
  }

  RaftServer startA(org.apache.ratis.statemachine.StateMachine stateMachine) throws IOException {
    if (ports == null) {
      ports = FreePorts.take(3);
    }
    RaftGroup group =
        RaftGroup.valueOf(
            GROUP,
            peer("a", ports[0]),
            // b and c are not running: their AppendEntries are made by hand below
            peer("b", ports[1]),
            peer("c", ports[2]));
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(new File(dir.toFile(), "ratis")));
    GrpcConfigKeys.Server.setPort(p, ports[0]);
    // a must not start elections of its own between the scripted requests
    TimeDuration long1 = TimeDuration.valueOf(60, TimeUnit.SECONDS);
    TimeDuration long2 = TimeDuration.valueOf(120, TimeUnit.SECONDS);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, long1);
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, long2);
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, long1);
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, long2);
    RaftServer s =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf("a"))
            .setGroup(group)
            .setProperties(p)
            .setStateMachine(stateMachine)
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    s.start();
    return s;
  }

  org.apache.ratis.server.raftlog.RaftLog log() throws IOException {
    return server.getDivision(GROUP).getRaftLog();
  }

  /** An AppendEntries from {@code leader}; {@code previous} null as a leader sends from index 0. */
  AppendEntriesReplyProto append(
      String leader, long term, TermIndex previous, long leaderCommit, LogEntryProto... entries)
      throws IOException {
    AppendEntriesRequestProto.Builder b =
        AppendEntriesRequestProto.newBuilder()
            .setServerRequest(
                RaftRpcRequestProto.newBuilder()
                    .setRequestorId(RaftPeerId.valueOf(leader).toByteString())
                    .setReplyId(RaftPeerId.valueOf("a").toByteString())
                    .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(GROUP.toByteString()))
                    .setCallId(++callId))
            .setLeaderTerm(term)
            .setLeaderCommit(leaderCommit)
            .addAllEntries(List.of(entries));
    if (previous != null) {
      b.setPreviousLog(
          TermIndexProto.newBuilder().setTerm(previous.getTerm()).setIndex(previous.getIndex()));
    }
    return server.appendEntries(b.build());
  }

  /** A leader's startup entry: the unchanged configuration, as Ratis appends on election. */
  LogEntryProto entry(long term, long index) throws IOException {
    RaftConfigurationProto.Builder conf = RaftConfigurationProto.newBuilder();
    server
        .getDivision(GROUP)
        .getGroup()
        .getPeers()
        .forEach(peer -> conf.addPeers(peer.getRaftPeerProto()));
    return LogEntryProto.newBuilder()
        .setTerm(term)
        .setIndex(index)
        .setConfigurationEntry(conf)
        .build();
  }

  private static RaftPeer peer(String id, int port) {
    return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:" + port).build();
  }
}
