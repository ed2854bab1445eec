package dev.shardhook.perf;

import java.util.function.Supplier;

/** Prints a progress line to stderr once a second until closed. */
final class Progress implements AutoCloseable {
  private final Thread thread;

  private Progress(Thread thread) {
    this.thread = thread;
  }

  static Progress start(Supplier<String> line) {
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("perf-progress")
            .start(
                () -> {
                  try {
                    while (true) {
                      Thread.sleep(1000);
                      System.err.println(line.get());
                    }
                  } catch (InterruptedException e) {
                    // closed
                  }
                });
    return new Progress(thread);
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
