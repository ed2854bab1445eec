package dev.shardhook.node.history;

/** Where the exporter reports how far it has gone, so the leader can let the purge follow. */
public interface ExportProgress {
  /** Every export-queue entry up to log index {@code index} is in the history database. */
  void exportedThrough(long index);
}
