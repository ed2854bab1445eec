package dev.shardhook.support.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.support.InvalidConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartCommandTest {
  static final Setting<Integer> PORT =
      Setting.integer("http-port", 8080, "Port.").validWhen(Check.between(0, 65535));

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(StartCommand.Starter<Integer> starter, String... args) {
    StartCommand<Integer> command =
        new StartCommand<>("demo", "A demo.", List.of(PORT), v -> PORT.check(v.get(PORT)), starter)
            .withSelfExplaining(IllegalStateException.class);
    return command.run(
        List.of(args), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpGoesToStdoutAndStartsNothing() {
    int code =
        run(
            port -> {
              throw new AssertionError("started");
            },
            "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("Usage: demo").contains("--http-port");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aBadSettingIsOneLineAndExitCode2() {
    int code =
        run(
            port -> {
              throw new AssertionError("started");
            },
            "--http-port",
            "70000");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("demo: invalid configuration: http-port: must be 0..65535");
  }

  @Test
  void aStartFailureIsExitCode1AndAConfigErrorFoundAtStartIs2() {
    assertThat(
            run(
                port -> {
                  throw new UncheckedIOException("port taken", new java.io.IOException("in use"));
                }))
        .isEqualTo(1);
    assertThat(
            run(
                port -> {
                  throw new IllegalStateException("no disk");
                }))
        .isEqualTo(1);
    assertThat(
            run(
                port -> {
                  throw new IllegalArgumentException("odd");
                }))
        .isEqualTo(1);
    assertThat(
            run(
                port -> {
                  throw new InvalidConfigException("shard-map: not in the map");
                }))
        .isEqualTo(2);

    assertThat(err.toString().lines())
        .containsExactly(
            "demo: cannot start: port taken (in use)",
            "demo: cannot start: no disk",
            "demo: cannot start: java.lang.IllegalArgumentException: odd",
            "demo: invalid configuration: shard-map: not in the map");
  }
}
