package dev.shardhook.node.delivery;

/** What happens to the jobs of a disabled destination (README, "Destinations"). */
public enum OnDestinationDisabled {
  /** They stay pending, their attempts unspent, until an admin enables the destination. */
  WAIT,
  /** They fail at once, through Raft, with a permanent outcome that names the reason. */
  FAIL
}
