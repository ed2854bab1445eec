package dev.shardhook.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingValuesTest {
  static final Setting<String> NAME = Setting.text("node-name", null, "The name.").required();
  static final Setting<Integer> WORKERS =
      Setting.integer("workers", 8, "Workers.").validWhen(Check.between(1, 100));
  static final Setting<Duration> TIMEOUT =
      Setting.duration("attempt-timeout", Duration.ofSeconds(10), "Timeout.");
  static final Setting<Long> RESERVE = Setting.bytes("min-free-disk", 512L << 20, "Reserve.");
  static final Setting<Boolean> PRIVATE = Setting.toggle("allow-private", "Private targets.");
  static final Setting<String> SECRET = Setting.text("secret", null, "Optional.");
  static final List<Setting<?>> ALL = List.of(NAME, WORKERS, TIMEOUT, RESERVE, PRIVATE, SECRET);

  private static SettingValues read(Map<String, String> env, String... args) {
    return SettingValues.read(ALL, List.of(args), env);
  }

  @Test
  void aFlagBeatsItsVariableWhichBeatsTheDefault() {
    SettingValues v =
        read(
            Map.of("SHARDHOOK_WORKERS", "12", "SHARDHOOK_ATTEMPT_TIMEOUT", "2s"),
            "--node-name",
            "a",
            "--workers=20");

    assertThat(v.get(NAME)).isEqualTo("a");
    assertThat(v.get(WORKERS)).isEqualTo(20);
    assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
    assertThat(v.get(RESERVE)).isEqualTo(512L << 20);
    assertThat(v.get(PRIVATE)).isFalse();
    assertThat(v.get(SECRET)).isNull();
  }

  @Test
  void aSwitchNeedsNoValueAndReadsTrueOrFalseFromTheEnvironment() {
    assertThat(read(Map.of(), "--node-name", "a", "--allow-private").get(PRIVATE)).isTrue();
    assertThat(read(Map.of("SHARDHOOK_ALLOW_PRIVATE", "true"), "--node-name", "a").get(PRIVATE))
        .isTrue();
    assertThat(
            read(
                    Map.of("SHARDHOOK_ALLOW_PRIVATE", "true"),
                    "--node-name",
                    "a",
                    "--allow-private=false")
                .get(PRIVATE))
        .isFalse();
  }

  @Test
  void errorsNameTheFlagOrTheVariableTheBadTextCameFrom() {
    assertThatThrownBy(() -> read(Map.of(), "--workers", "1"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("node-name: required (--node-name or SHARDHOOK_NODE_NAME)");
    assertThatThrownBy(() -> read(Map.of(), "--node-name", "a", "--workers", "many"))
        .hasMessageStartingWith("--workers: 'many' is not a whole number");
    assertThatThrownBy(() -> read(Map.of("SHARDHOOK_ATTEMPT_TIMEOUT", "soon"), "--node-name", "a"))
        .hasMessageStartingWith("SHARDHOOK_ATTEMPT_TIMEOUT: 'soon' is not a duration");
    assertThatThrownBy(() -> read(Map.of(), "--node-name", "a", "--nope", "1"))
        .hasMessage("unknown flag '--nope'");
    assertThatThrownBy(() -> read(Map.of(), "--node-name", "a", "stray"))
        .hasMessage("unexpected argument 'stray'");
    assertThatThrownBy(() -> read(Map.of(), "--node-name"))
        .hasMessage("--node-name: needs a value");
    assertThatThrownBy(() -> read(Map.of(), "--node-name", "a", "--node-name", "b"))
        .hasMessage("--node-name: given more than once");
  }

  @Test
  void checksSayWhatTheSettingMustBe() {
    assertThat(WORKERS.check(100)).isEqualTo(100);
    assertThatThrownBy(() -> WORKERS.check(0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("workers: must be 1..100");
    assertThatThrownBy(() -> WORKERS.check(null)).hasMessage("workers: must be 1..100");
    assertThat(SECRET.check(null)).isNull();
  }

  @Test
  void formatsReadAndPrintWhatUsersWrite() {
    assertThat(DurationFormat.INSTANCE.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThat(DurationFormat.INSTANCE.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationFormat.INSTANCE.print(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(DurationFormat.INSTANCE.print(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(DurationFormat.INSTANCE.print(Duration.ofNanos(5))).isEqualTo("PT0.000000005S");
    assertThat(ByteSizeFormat.INSTANCE.parse("2GiB")).isEqualTo(2L << 30);
    assertThat(ByteSizeFormat.INSTANCE.print(512L << 20)).isEqualTo("512MiB");
    assertThat(ByteSizeFormat.INSTANCE.print(1000L)).isEqualTo("1000");
    assertThatThrownBy(() -> ByteSizeFormat.INSTANCE.parse("lots"))
        .hasMessageContaining("is not a byte size");
  }

  @Test
  void helpListsEverySettingWithItsVariableAndDefault() {
    StartCommand<SettingValues> command =
        new StartCommand<>("demo", "A demo.", ALL, v -> v, c -> () -> {});

    String help = command.help();

    for (Setting<?> s : ALL) {
      assertThat(help).contains(s.flag(), s.environmentVariable(), s.description());
    }
    assertThat(help)
        .contains("--workers <int>  SHARDHOOK_WORKERS  (default: 8)")
        .contains("--attempt-timeout <duration>  SHARDHOOK_ATTEMPT_TIMEOUT  (default: 10s)")
        .contains("--node-name <text>  SHARDHOOK_NODE_NAME  (required)")
        .contains("--secret <text>  SHARDHOOK_SECRET  (default: none)");
    assertThat(command.environmentVariables()).hasSize(ALL.size()).contains("SHARDHOOK_SECRET");
  }
}
