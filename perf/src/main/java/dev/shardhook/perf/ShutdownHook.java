package dev.shardhook.perf;

/**
 * Closes a resource (a sandbox, etcd, PostgreSQL) if the JVM exits before the scenario does, e.g.
 * on Ctrl-C, so that no process the harness started is left running. Removed on a normal close.
 */
final class ShutdownHook {
  private final Thread thread;

  private ShutdownHook(Thread thread) {
    this.thread = thread;
  }

  static ShutdownHook register(String name, AutoCloseable resource) {
    Thread thread =
        Thread.ofPlatform()
            .name("perf-cleanup-" + name)
            .unstarted(
                () -> {
                  try {
                    resource.close();
                  } catch (Exception e) {
                    System.err.println("perf: stopping " + name + " on exit failed: " + e);
                  }
                });
    Runtime.getRuntime().addShutdownHook(thread);
    return new ShutdownHook(thread);
  }

  /** The resource was closed normally; nothing to do at exit. */
  void remove() {
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (close is idempotent)
    }
  }
}
