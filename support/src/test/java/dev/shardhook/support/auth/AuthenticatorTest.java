package dev.shardhook.support.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.ForbiddenException;
import dev.shardhook.api.problem.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  static final String ADMIN_KEY = "shk_admin-key-0123456789abcdefghijklmnopqrstuv";
  static final String SUBMIT_KEY = "shk_submit-key-0123456789abcdefghijklmnopqrstu";
  static final String READ_KEY = "shk_read-key-0123456789abcdefghijklmnopqrstuvw";

  static String file() {
    return """
        {"tenants": {
          "ops": {"keys": [{"id": "root", "sha256": "%s", "role": "admin"}]},
          "acme": {"keys": [{"id": "acme-1", "sha256": "%s", "role": "submit"},
                            {"id": "acme-ro", "sha256": "%S", "role": "READ"}]}
        }}
        """
        .formatted(hex(ADMIN_KEY), hex(SUBMIT_KEY), hex(READ_KEY));
  }

  static String hex(String key) {
    return java.util.HexFormat.of().formatHex(Tenants.sha256(key));
  }

  private final Tenants tenants = TenantsFile.parse(file().getBytes(StandardCharsets.UTF_8));
  private final Authenticator auth = Authenticator.of(() -> tenants);

  @Test
  void aValidKeyActsAsItsTenantWithItsRole() {
    assertThat(auth.check("Bearer " + SUBMIT_KEY, null, Access.SUBMIT))
        .isEqualTo(new Caller("acme", Role.SUBMIT, "acme-1"));
    assertThat(auth.check("bearer  " + READ_KEY, null, Access.READ).role()).isEqualTo(Role.READ);
    assertThat(auth.check(null, null, Access.OPEN)).isNull();
  }

  @Test
  void noKeyOrAnUnknownOneIs401WithAChallenge() {
    assertThatThrownBy(() -> auth.check(null, null, Access.READ))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.headers().get("WWW-Authenticate"))
                  .isEqualTo("Bearer realm=\"shardhook\"");
            });
    for (String bad :
        new String[] {
          "Bearer shk_unknown",
          "Basic dXNlcjpwYXNz",
          "Bearer",
          "Bearer a b",
          "Bearer " + "x".repeat(600)
        }) {
      assertThatThrownBy(() -> auth.check(bad, null, Access.READ))
          .as(bad)
          .isInstanceOfSatisfying(
              UnauthorizedException.class,
              e -> assertThat(e.headers().get("WWW-Authenticate")).contains("invalid_token"));
    }
  }

  @Test
  void aRoleThatDoesNotCoverTheRouteIs403() {
    assertThatThrownBy(() -> auth.check("Bearer " + READ_KEY, null, Access.SUBMIT))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("acme-ro")
        .hasMessageNotContaining(READ_KEY);
    assertThatThrownBy(() -> auth.check("Bearer " + SUBMIT_KEY, null, Access.ADMIN))
        .isInstanceOf(ForbiddenException.class);
    assertThat(auth.check("Bearer " + ADMIN_KEY, null, Access.SUBMIT).role()).isEqualTo(Role.ADMIN);
  }

  @Test
  void onlyAnAdminMayNameAnotherTenant() {
    assertThat(auth.check("Bearer " + ADMIN_KEY, "acme", Access.READ).tenant()).isEqualTo("acme");
    assertThat(auth.check("Bearer " + SUBMIT_KEY, "acme", Access.READ).tenant()).isEqualTo("acme");
    assertThatThrownBy(() -> auth.check("Bearer " + SUBMIT_KEY, "ops", Access.READ))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> auth.check("Bearer " + ADMIN_KEY, "nobody", Access.READ))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> auth.check("Bearer " + ADMIN_KEY, "Bad/Name", Access.READ))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void withoutKeysEveryRequestIsTheDefaultTenantsAdmin() {
    Authenticator open = Authenticator.none();
    assertThat(open.check(null, null, Access.ADMIN)).isEqualTo(Caller.UNAUTHENTICATED);
    assertThat(open.check(null, "acme", Access.SUBMIT).tenant()).isEqualTo("acme");
  }
}
