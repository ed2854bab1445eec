package dev.shardhook.support.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardhook.support.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantsFileWatchTest {
  @TempDir Path dir;

  @Test
  void aChangedFileIsInForceWithinAPollAndABrokenOneIsSkipped() throws Exception {
    Path file = dir.resolve("tenants.json");
    Files.writeString(file, "{\"tenants\": {\"a\": {}}}");
    try (TenantsFileWatch watch = TenantsFileWatch.start(file, Duration.ofMillis(50))) {
      assertThat(watch.get().tenant("a")).isPresent();
      Files.writeString(file, "{\"tenants\": {\"a\": {}, \"b\": {}}}");
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.get().tenant("b").isPresent());
      Files.writeString(file, "{\"tenants\": {\"a\": ");
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.failedReloads() == 1);
      assertThat(watch.get().tenant("b")).as("the last good version stays").isPresent();
      assertThat(watch.reloads()).isEqualTo(1);
    }
  }

  @Test
  void aMissingOrBrokenFileAtStartIsAConfigError() throws Exception {
    assertThatThrownBy(
            () -> TenantsFileWatch.start(dir.resolve("none.json"), Duration.ofSeconds(1)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cannot read");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{}");
    assertThatThrownBy(() -> TenantsFileWatch.start(broken, Duration.ofSeconds(1)))
        .isInstanceOf(InvalidConfigException.class);
  }
}
