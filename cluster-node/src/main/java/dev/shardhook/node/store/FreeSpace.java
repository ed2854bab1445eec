package dev.shardhook.node.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Usable bytes where the node keeps its data; tests supply their own to simulate a full disk. */
@FunctionalInterface
public interface FreeSpace {
  long usableBytes() throws IOException;

  /** The usable space of the file system holding {@code dir} (created if missing). */
  static FreeSpace of(Path dir) {
    return () -> {
      Files.createDirectories(dir);
      return Files.getFileStore(dir).getUsableSpace();
    };
  }
}
