package dev.shardhook.perf;

/** A program the scenario needs is not installed; the message says which package provides it. */
final class MissingPrerequisiteException extends Exception {
  MissingPrerequisiteException(String message) {
    super(message);
  }
}
