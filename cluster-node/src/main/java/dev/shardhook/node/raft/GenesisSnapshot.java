package dev.shardhook.node.raft;

import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoreBatch;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a Ratis 3.3 follower bug by giving every new replica the same snapshot at (term 0,
 * index 0): the empty store, before any log entry.
 *
 * <p>The bug ({@code FirstEntryConflictTest}): an AppendEntries without a previous entry, which a
 * leader sends when it replicates from index 0, lets a follower commit whatever it holds at index 0
 * ({@code effectiveCommitIndex} counts from 0, not -1). A follower that took index 0 from a leader
 * of a term that never committed anything then commits that entry, refuses the real index 0 as
 * already committed and the real index 1 as not following its own index 0: it never catches up
 * (seen once in about 80 sandbox start-ups). With this snapshot, index 0 is the same on every
 * replica by construction and the log starts at 1, so a match at index 0 is always a true one.
 *
 * <p>Written only into storage that has never taken part in the group (term 0, no log, no snapshot,
 * empty store), so existing replicas keep their logs. A replica whose data is wiped gets it again:
 * this is safe with a leader that has it too, but not with one whose log started before this
 * workaround (then the wiped replica stays behind, which {@code /status} reports as lag).
 */
final class GenesisSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(GenesisSnapshot.class);

  static final TermIndex TERM_INDEX = TermIndex.valueOf(0, 0);

  private GenesisSnapshot() {}

  /** Writes the genesis snapshot when the replica is new; says whether it did. */
  static boolean writeIfNew(RaftStorage raft, CheckpointStorage snapshots, JobStore store)
      throws IOException {
    if (!isNew(raft, snapshots, store)) {
      return false;
    }
    // The store says it holds (0, 0) too, so loading it does not take it for older than the
    // snapshot.
    try (StoreBatch b = store.batch()) {
      b.applied(TERM_INDEX.getTerm(), TERM_INDEX.getIndex()).commit();
    }
    Path tmp = snapshots.tmpPath();
    store.checkpoint(tmp);
    snapshots.publish(tmp, TERM_INDEX);
    LOG.info("new replica: wrote the genesis snapshot (t:0, i:0); its log starts at index 1");
    return true;
  }

  private static boolean isNew(RaftStorage raft, CheckpointStorage snapshots, JobStore store)
      throws IOException {
    if (snapshots.newest().isPresent() || store.applied().isPresent()) {
      return false;
    }
    if (raft.getMetadataFile().getMetadata().getTerm() != 0) {
      return false;
    }
    File[] segments =
        raft.getStorageDir().getCurrentDir().listFiles((dir, name) -> name.startsWith("log_"));
    return segments == null || segments.length == 0;
  }
}
