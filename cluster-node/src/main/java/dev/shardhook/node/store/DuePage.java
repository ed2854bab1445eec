package dev.shardhook.node.store;

import java.util.List;

/**
 * One read of the due index: the jobs read, the last index entry read (null if none) and whether
 * the read reached the end of what is due.
 */
public record DuePage(List<StoredJob> jobs, Position last, boolean end) {
  /** An entry of the due index: due time and job id. */
  public record Position(long atMs, String id) {}
}
