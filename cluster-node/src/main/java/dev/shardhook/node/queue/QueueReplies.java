package dev.shardhook.node.queue;

/** The replies of the queue commands: one code each, so they travel as a count does. */
public final class QueueReplies {
  public static final long CREATED = 1;
  public static final long REPLACED = 2;
  public static final long DELETED = 3;
  public static final long NOT_FOUND = -1;
  public static final long TOO_MANY = -2;
  public static final long HAS_PENDING = -3;
  public static final long IS_DEFAULT = -4;

  private QueueReplies() {}
}
