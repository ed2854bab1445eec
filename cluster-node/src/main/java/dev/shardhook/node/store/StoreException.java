package dev.shardhook.node.store;

/** RocksDB failed underneath the store: the node cannot go on safely. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
