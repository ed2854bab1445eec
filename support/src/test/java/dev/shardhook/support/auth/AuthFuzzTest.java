package dev.shardhook.support.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.support.InvalidConfigException;
import java.nio.charset.StandardCharsets;

/**
 * What an attacker controls of authentication: the {@code Authorization} and {@code
 * Shardhook-Tenant} headers, and (an operator's typo) the tenants file. Headers give a caller or a
 * 4xx problem, never another failure and never a caller for a key the file does not hold; a file
 * parses or fails as a config error. Seeds: {@code
 * src/test/resources/dev/shardhook/support/auth/AuthFuzzTestInputs}.
 */
class AuthFuzzTest {
  private static final Tenants TENANTS =
      TenantsFile.parse(AuthenticatorTest.file().getBytes(StandardCharsets.UTF_8));
  private static final Authenticator AUTH = Authenticator.of(() -> TENANTS);

  @FuzzTest(maxDuration = "10s")
  void headersAndTenantsFilesFailCleanly(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    int cut = text.indexOf('\n');
    String authorization = cut < 0 ? text : text.substring(0, cut);
    String tenant = cut < 0 ? null : text.substring(cut + 1);
    for (Access access : Access.values()) {
      try {
        Caller caller = AUTH.check(authorization, tenant, access);
        if (access != Access.OPEN) {
          assertThat(authorization)
              .contains(
                  caller.keyId().equals("root")
                      ? AuthenticatorTest.ADMIN_KEY
                      : caller.keyId().equals("acme-1")
                          ? AuthenticatorTest.SUBMIT_KEY
                          : AuthenticatorTest.READ_KEY);
        }
      } catch (ProblemException e) {
        assertThat(e.status()).isBetween(400, 499);
      }
    }
    try {
      TenantsFile.parse(input);
    } catch (InvalidConfigException expected) {
      assertThat(expected).hasMessageStartingWith("tenants file:");
    }
  }
}
