package dev.shardhook.client;

import java.time.Duration;

/** Waits between attempts and polls; tests pass one that only records. */
@FunctionalInterface
interface Sleeper {
  /** The real one: parks the calling (usually virtual) thread. */
  Sleeper THREAD = Thread::sleep;

  void sleep(Duration duration) throws InterruptedException;
}
