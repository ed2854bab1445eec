package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private final Console console = new Console(quiet, quiet, Progress.Style.NONE);

  @Test
  void countsSuccessesAndFailuresOfTheMeasuredTimeOnly() throws Exception {
    AtomicLong calls = new AtomicLong();
    ClosedLoop loop =
        new ClosedLoop("test", 3, Duration.ofMillis(100), Duration.ofMillis(300), console);

    AcceptFigures figures =
        loop.run(
            "fake",
            () -> {
              Thread.sleep(1);
              if (calls.incrementAndGet() % 4 == 0) {
                throw new IOException("every fourth fails");
              }
            });

    assertThat(figures.system()).isEqualTo("fake");
    assertThat(figures.ok()).isPositive();
    assertThat(figures.errors()).isPositive();
    assertThat(figures.ok() + figures.errors()).isLessThan(calls.get()); // warm-up not counted
    assertThat(figures.latency().count()).isEqualTo(figures.ok());
    assertThat(figures.seconds()).isEqualTo(0.3);
    assertThat(figures.opsPerSec()).isEqualTo(figures.ok() / 0.3);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new ClosedLoop("x", 0, Duration.ZERO, Duration.ofSeconds(1), console))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClosedLoop("x", 1, Duration.ZERO, Duration.ZERO, console))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
