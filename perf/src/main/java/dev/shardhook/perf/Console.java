package dev.shardhook.perf;

import java.io.PrintStream;

/**
 * Where a run writes: the result line to {@code out} (nothing else goes there), messages and
 * progress to {@code err}. Messages and a progress bar being redrawn share the line safely.
 */
final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final Progress.Style style;
  private boolean barOnScreen;

  Console(PrintStream out, PrintStream err, Progress.Style style) {
    this.out = out;
    this.err = err;
    this.style = style;
  }

  static Console system(Progress.Style style) {
    return new Console(System.out, System.err, style);
  }

  Progress.Style style() {
    return style;
  }

  /** The stream for the result line. */
  PrintStream out() {
    return out;
  }

  /** A message on stderr, prefixed {@code perf: }. */
  synchronized void say(String format, Object... args) {
    clearBar();
    err.println("perf: " + String.format(format, args));
    err.flush();
  }

  /** A stream for subprocess or library output that must not reach stdout. */
  PrintStream err() {
    return err;
  }

  synchronized void drawProgress(String line) {
    if (style == Progress.Style.BAR) {
      err.print("\r" + line + "\u001b[K");
      barOnScreen = true;
    } else {
      err.println(line);
    }
    err.flush();
  }

  synchronized void endProgress(String line) {
    if (style == Progress.Style.BAR) {
      err.print("\r" + line + "\u001b[K\n");
      barOnScreen = false;
    } else {
      err.println(line);
    }
    err.flush();
  }

  private void clearBar() {
    if (barOnScreen) {
      err.print("\r\u001b[K");
      barOnScreen = false;
    }
  }
}
