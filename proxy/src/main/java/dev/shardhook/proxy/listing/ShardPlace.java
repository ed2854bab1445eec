package dev.shardhook.proxy.listing;

/** How far a paged listing has got on one shard. */
sealed interface ShardPlace {
  /** Nothing listed from the shard yet: its next page starts with its newest job. */
  record Top() implements ShardPlace {}

  /** The last job taken from the shard; its next page starts just older. */
  record At(long createdAtMs, String id) implements ShardPlace {}

  /** Every matching job of the shard has been listed. */
  record Done() implements ShardPlace {}

  ShardPlace TOP = new Top();
  ShardPlace DONE = new Done();
}
