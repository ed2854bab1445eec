package dev.shardhook.support.config;

import java.time.Duration;
import java.util.List;

/** The five settings of one kind of circuit breaker, named {@code <prefix>window} and so on. */
public final class BreakerSettings {
  private final Setting<Duration> openDuration;
  private final Setting<Integer> window;
  private final Setting<Integer> minCalls;
  private final Setting<Integer> failureRate;
  private final Setting<Integer> halfOpenCalls;

  /**
   * @param prefix {@code breaker-} gives {@code --breaker-window}, ...
   * @param subject which breaker, for the descriptions: {@code a node's circuit breaker}
   */
  public BreakerSettings(String prefix, String subject, BreakerConfig defaults) {
    openDuration =
        Setting.duration(
                prefix + "open-duration",
                defaults.openDuration(),
                "How long " + subject + " stays open before it lets trial calls through.")
            .validWhen(
                Check.within(Duration.ofMillis(1), Duration.ofHours(1), "between 1ms and 1h"));
    window =
        Setting.integer(
                prefix + "window",
                defaults.window(),
                "The last calls " + subject + " judges the failure rate on.")
            .validWhen(Check.between(1, 1000));
    minCalls =
        Setting.integer(
                prefix + "min-calls",
                defaults.minCalls(),
                "Calls " + subject + " must have seen before it may open.")
            .validWhen(Check.between(1, 1000));
    failureRate =
        Setting.integer(
                prefix + "failure-rate",
                defaults.failureRatePercent(),
                "Percentage of failed calls in the window that opens " + subject + ".")
            .validWhen(Check.between(1, 100));
    halfOpenCalls =
        Setting.integer(
                prefix + "half-open-calls",
                defaults.halfOpenCalls(),
                "Trial calls " + subject + " lets through after its open duration.")
            .validWhen(Check.between(1, 100));
  }

  public Setting<Duration> openDuration() {
    return openDuration;
  }

  /** In the order {@code --help} lists them. */
  public List<Setting<?>> all() {
    return List.of(openDuration, window, minCalls, failureRate, halfOpenCalls);
  }

  /**
   * The breaker's config from checked values.
   *
   * @throws dev.shardhook.support.InvalidConfigException when it would need more calls to open than
   *     its window holds
   */
  public BreakerConfig from(SettingMap values) {
    Check.require(
        values.get(minCalls) <= values.get(window), minCalls.name(), "<= " + window.name());
    return new BreakerConfig(
        values.get(openDuration),
        values.get(window),
        values.get(minCalls),
        values.get(failureRate),
        values.get(halfOpenCalls));
  }
}
