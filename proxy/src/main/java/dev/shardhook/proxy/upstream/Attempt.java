package dev.shardhook.proxy.upstream;

/** What one try of one node means for the forward. */
sealed interface Attempt {
  /** A proper answer of the job API, whatever its status: the client gets it. */
  record Answered(NodeAnswer answer) implements Attempt {}

  /** 503: the node's group has no leader in its reach; another node may do better. */
  record NoLeader(NodeAnswer answer) implements Attempt {}

  /** Could not connect: the request never left, so the node cannot have acted on it. */
  record Unreachable() implements Attempt {}

  /** Reached, but no proper answer came back: the node may have acted on the request. */
  record Garbled(String why) implements Attempt {}
}
