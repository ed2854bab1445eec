package dev.shardhook.api.routing;

/**
 * A shard map that breaks a rule of {@link ShardMap} or of its file format. The message is one line
 * naming what is wrong and where, without the file's name; each server adds that and reports it as
 * its own configuration error.
 */
public final class InvalidShardMapException extends IllegalArgumentException {
  public InvalidShardMapException(String message) {
    super(message);
  }
}
