package dev.shardhook.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingMapTest {
  static final Setting<Integer> WORKERS =
      Setting.integer("workers", 8, "Workers.").validWhen(Check.between(1, 100));
  static final Setting<Duration> GRACE =
      Setting.duration("grace", Duration.ofSeconds(20), "Grace.").validWhen(Check.notNegative());
  static final Setting<String> SECRET = Setting.text("secret", null, "Optional.");
  static final List<Setting<?>> ALL = List.of(WORKERS, GRACE, SECRET);

  @Test
  void startsFromTheDefaultsAndChecksEveryValueWhenBuilt() {
    SettingMap defaults = SettingMap.defaults(ALL).build();
    assertThat(defaults.get(WORKERS)).isEqualTo(8);
    assertThat(defaults.get(GRACE)).isEqualTo(Duration.ofSeconds(20));
    assertThat(defaults.get(SECRET)).isNull();

    SettingMap.Builder bad = SettingMap.defaults(ALL).set(GRACE, Duration.ofSeconds(-1));
    assertThatThrownBy(bad::build)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("grace: must be >= 0");
    assertThatThrownBy(() -> SettingMap.defaults(ALL).set(WORKERS, null).build())
        .hasMessage("workers: must be 1..100");
  }

  @Test
  void takesWhatWasReadAndDerivesVariants() {
    SettingValues read =
        SettingValues.read(ALL, List.of("--workers", "3"), Map.of("SHARDHOOK_SECRET", "s"));
    SettingMap map = SettingMap.defaults(ALL).setAll(read).build();
    SettingMap variant = map.toBuilder().set(WORKERS, 4).build();

    assertThat(map.get(WORKERS)).isEqualTo(3);
    assertThat(map.get(SECRET)).isEqualTo("s");
    assertThat(variant.get(WORKERS)).isEqualTo(4);
    assertThat(variant.get(SECRET)).isEqualTo("s");
    assertThatThrownBy(() -> SettingMap.defaults(List.of(WORKERS)).set(GRACE, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
