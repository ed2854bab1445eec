package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void barShowsTheFraction() {
    assertThat(Progress.bar(0)).isEqualTo("[------------------------]   0%");
    assertThat(Progress.bar(0.5)).isEqualTo("[############------------]  50%");
    assertThat(Progress.bar(1)).isEqualTo("[########################] 100%");
  }

  @Test
  void barClampsAndShowsUnknown() {
    assertThat(Progress.bar(1.7)).endsWith("100%");
    assertThat(Progress.bar(-1)).endsWith("  0%");
    assertThat(Progress.bar(Double.NaN)).endsWith("?%");
  }

  @Test
  void lineHasLabelBarAndDetail() {
    Console console = console(Progress.Style.NONE, new ByteArrayOutputStream());
    try (Progress progress = Progress.start(console, "deliver x", () -> 0.25, () -> "n=3")) {
      assertThat(progress.line()).startsWith("deliver x [######").endsWith("n=3");
    }
  }

  @Test
  void linesStyleEndsWithAFinalLineOnStderrAndNothingOnStdout() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Console console =
        new Console(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Progress.Style.LINES);

    Progress.start(console, "phase", () -> 1.0, () -> "done").close();
    console.say("a %s", "message");

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("phase [########################] 100%")
        .contains("perf: a message");
    assertThat(out.size()).isZero();
  }

  @Test
  void barStyleRedrawsInPlaceAndMessagesClearTheLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console console = console(Progress.Style.BAR, err);

    console.drawProgress("x [---] 0%");
    console.say("hello");
    console.endProgress("x [###] 100%");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("\rx [---] 0%");
    assertThat(text).contains("\r\u001b[Kperf: hello\n");
    assertThat(text).endsWith("\rx [###] 100%\u001b[K\n");
  }

  private static Console console(Progress.Style style, ByteArrayOutputStream err) {
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new Console(stream, stream, style);
  }
}
