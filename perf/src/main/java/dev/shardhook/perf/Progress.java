package dev.shardhook.perf;

import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A progress bar for one phase of a scenario, on stderr until closed: redrawn in place on a
 * terminal ({@link Style#BAR}), a plain line every few seconds otherwise ({@link Style#LINES}).
 *
 * <pre>accept shardhook [##########----------]  50%  10.0s accepted=4211 errors=0</pre>
 */
final class Progress implements AutoCloseable {
  /** How progress is shown. */
  enum Style {
    /** Redrawn in place with a carriage return (a terminal). */
    BAR,
    /** One line every few seconds (a log file, CI). */
    LINES,
    /** Nothing. */
    NONE
  }

  static final int BAR_WIDTH = 24;
  private static final long BAR_PERIOD_MS = 250;
  private static final long LINES_PERIOD_MS = 2000;

  private final Console console;
  private final String label;
  private final DoubleSupplier fraction;
  private final Supplier<String> detail;
  private final long startNanos = System.nanoTime();
  private final Thread thread;

  private Progress(
      Console console, String label, DoubleSupplier fraction, Supplier<String> detail) {
    this.console = console;
    this.label = label;
    this.fraction = fraction;
    this.detail = detail;
    long period = console.style() == Style.BAR ? BAR_PERIOD_MS : LINES_PERIOD_MS;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("perf-progress")
            .unstarted(
                () -> {
                  try {
                    while (true) {
                      Thread.sleep(period);
                      console.drawProgress(line());
                    }
                  } catch (InterruptedException e) {
                    // closed
                  }
                });
  }

  /**
   * Starts showing {@code label}'s progress.
   *
   * @param fraction done so far, 0..1 (NaN: unknown, the bar stays empty)
   * @param detail counters to show after the bar
   */
  static Progress start(
      Console console, String label, DoubleSupplier fraction, Supplier<String> detail) {
    Progress progress = new Progress(console, label, fraction, detail);
    if (console.style() != Style.NONE) {
      progress.thread.start();
    }
    return progress;
  }

  /** The current line: label, bar, percentage, elapsed seconds and the detail. */
  String line() {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    return String.format(
        Locale.ROOT, "%s %s %5.1fs %s", label, bar(fraction.getAsDouble()), elapsed, detail.get());
  }

  /** {@code [#####---------------] 25%}; an unknown fraction (NaN) shows as {@code ?%}. */
  static String bar(double fraction) {
    if (Double.isNaN(fraction)) {
      return "[" + "-".repeat(BAR_WIDTH) + "]   ?%";
    }
    double f = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(f * BAR_WIDTH);
    return String.format(
        Locale.ROOT,
        "[%s%s] %3d%%",
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        (int) Math.floor(f * 100));
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (console.style() != Style.NONE) {
      console.endProgress(line());
    }
  }
}
