package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shardhook.api.problem.ForbiddenException;
import dev.shardhook.api.problem.UnauthorizedException;
import dev.shardhook.support.auth.Access;
import dev.shardhook.support.auth.Authenticator;
import dev.shardhook.support.auth.Caller;
import dev.shardhook.support.auth.Role;
import dev.shardhook.support.auth.Tenants;
import dev.shardhook.support.auth.TenantsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key recipe of deploy/README.md ("API keys"), run as written: it must produce the files the
 * Compose stack mounts, a tenants file the servers' own reader accepts, and keys that authenticate
 * with the roles the README promises.
 */
class ApiKeysRecipeTest {
  private static final String MARKER = "<!-- recipe: compose-keys";
  private static final Pattern KEY = Pattern.compile("shk_[A-Za-z0-9_-]{43}");

  @Test
  void theReadmeRecipeMakesATenantsFileWhoseKeysAuthenticateWithTheirRoles(@TempDir Path root)
      throws Exception {
    assumeTrue(
        DeployFiles.onPath("openssl") && DeployFiles.onPath("sha256sum"),
        "the README's key recipe skipped: it needs openssl and sha256sum");
    Path secrets = Files.createDirectories(root.resolve("deploy/compose/secrets"));

    DeployFiles.Run run =
        DeployFiles.run(root, List.of("bash", "-euo", "pipefail", "-c", recipe()), 60);
    assertThat(run.exitCode()).as(run.output()).isZero();
    String admin = printed(run.output(), "admin key");
    String acme = printed(run.output(), "acme key");

    // exactly what compose.yaml mounts from secrets/, and no temp file left behind
    ComposeFile compose = new ComposeFile(DeployFiles.compose().resolve("compose.yaml"));
    Path tenantsFileName =
        NodeFlags.configFromEnv(compose.environment("shard-0-a")).tenantsFile().getFileName();
    List<String> made = new ArrayList<>();
    try (Stream<Path> files = Files.list(secrets)) {
      files.forEach(f -> made.add(f.getFileName().toString()));
    }
    assertThat(made).containsExactlyInAnyOrder(tenantsFileName.toString(), "prometheus.key");
    assertThat(compose.volumes("prometheus")).containsKey("./secrets/prometheus.key");

    Tenants tenants = TenantsFile.parse(Files.readAllBytes(secrets.resolve(tenantsFileName)));
    Authenticator auth = Authenticator.of(() -> tenants);
    String prometheus = Files.readString(secrets.resolve("prometheus.key"));
    for (String key : List.of(admin, acme, prometheus)) {
      assertThat(key).as("shk_ + base64url of 32 bytes").matches(KEY);
    }
    assertThat(List.of(admin, acme, prometheus)).doesNotHaveDuplicates();

    assertThat(auth.check("Bearer " + admin, null, Access.ADMIN))
        .isEqualTo(new Caller("default", Role.ADMIN, "admin-1"));
    assertThat(auth.check("Bearer " + acme, null, Access.SUBMIT))
        .isEqualTo(new Caller("acme", Role.SUBMIT, "acme-1"));
    assertThatThrownBy(() -> auth.check("Bearer " + acme, null, Access.ADMIN))
        .isInstanceOf(ForbiddenException.class);
    // Prometheus: /metrics takes any key; its key may do nothing more
    assertThat(auth.check("Bearer " + prometheus, null, Access.ANY_KEY))
        .isEqualTo(new Caller("monitoring", Role.READ, "prometheus"));
    assertThatThrownBy(() -> auth.check("Bearer " + prometheus, null, Access.SUBMIT))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> auth.check("Bearer " + acme + "x", null, Access.READ))
        .isInstanceOf(UnauthorizedException.class);
  }

  /** The bash block after the recipe marker in deploy/README.md. */
  private static String recipe() {
    List<String> lines =
        DeployFiles.read(DeployFiles.moduleDir().resolve("README.md")).lines().toList();
    int marker = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(MARKER)) {
        marker = i;
      }
    }
    assertThat(marker).as("deploy/README.md has the line " + MARKER).isNotNegative();
    assertThat(lines.get(marker + 1)).isEqualTo("```bash");
    StringBuilder script = new StringBuilder();
    for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
      script.append(lines.get(i)).append('\n');
    }
    return script.toString();
  }

  private static String printed(String output, String label) {
    Matcher m = Pattern.compile("(?m)^" + label + ":\\s+(\\S+)$").matcher(output);
    assertThat(m.find()).as(label + " in: " + output).isTrue();
    return m.group(1);
  }
}
