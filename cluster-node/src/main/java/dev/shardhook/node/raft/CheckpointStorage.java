package dev.shardhook.node.raft;

import dev.shardhook.node.store.FileTrees;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots as RocksDB checkpoints in Ratis's state-machine directory, one folder each, named
 * {@code snapshot.<term>_<index>}. Ratis streams every file of the newest one to a follower that
 * fell behind the purged log, and replaces this whole directory with it; the live database lives
 * elsewhere, so nothing live is lost.
 */
final class CheckpointStorage implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

  private volatile Path smDir;
  private volatile SnapshotInfo latest;

  @Override
  public void init(RaftStorage storage) throws IOException {
    smDir = storage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
    refresh();
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latest;
  }

  /** Re-reads the directory, for example after Ratis installed a snapshot into it. */
  SnapshotInfo refresh() throws IOException {
    latest = newest().map(this::describe).orElse(null);
    return latest;
  }

  /** The folder of the newest snapshot, if there is one. */
  Optional<Path> newest() throws IOException {
    return snapshots().stream().max(Comparator.comparingLong(p -> termIndex(p).getIndex()));
  }

  static TermIndex termIndex(Path snapshotDir) {
    Matcher m = NAME.matcher(snapshotDir.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a snapshot folder: " + snapshotDir);
    }
    return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  /** A fresh temporary folder path for a checkpoint being written. */
  Path tmpPath() {
    return smDir.resolve("tmp-" + System.nanoTime());
  }

  /** Moves a finished checkpoint into place under its term-index name. */
  void publish(Path tmp, TermIndex ti) throws IOException {
    Path target = smDir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
    if (Files.exists(target)) {
      FileTrees.delete(tmp);
    } else {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
    refresh();
  }

  @Override
  public void format() {}

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = Math.max(1, policy.getNumSnapshotsRetained());
    List<Path> all =
        snapshots().stream()
            .sorted(Comparator.comparingLong((Path p) -> termIndex(p).getIndex()).reversed())
            .toList();
    for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
      FileTrees.delete(old);
    }
  }

  private List<Path> snapshots() throws IOException {
    if (smDir == null || !Files.isDirectory(smDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(smDir)) {
      return s.filter(
              p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches())
          .toList();
    }
  }

  private SnapshotInfo describe(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<FileInfo> infos =
          files
              .filter(Files::isRegularFile)
              .map(f -> new FileInfo(f.toAbsolutePath(), null))
              .toList();
      return new FileListSnapshotInfo(infos, termIndex(dir));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public File getSnapshotDir() {
    return null;
  }

  @Override
  public File getTmpDir() {
    return null;
  }
}
