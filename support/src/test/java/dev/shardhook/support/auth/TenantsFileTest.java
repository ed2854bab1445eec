package dev.shardhook.support.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantsFileTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String HASH = "a".repeat(64);

  private static Tenants parse(String json) {
    return TenantsFile.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTenantsWithSecretsAndQuotas() {
    Tenants t =
        parse(
            """
            {"tenants": {"acme": {
              "keys": [{"id": "k1", "sha256": "%s", "role": "submit"}],
              "signingSecrets": [{"id": "new", "secret": "%s"},
                                 {"id": "old", "secret": "%s", "notAfter": "2026-12-01T00:00:00Z"}],
              "quotas": {"maxPendingPerShard": 10, "submitRatePerSecond": 2.5}}}}
            """
                .formatted(HASH, SECRET, SECRET));
    Tenant acme = t.tenant("acme").orElseThrow();
    assertThat(acme.quotas()).isEqualTo(new Quotas(10, 2.5, 0));
    assertThat(acme.quotas().burst()).isEqualTo(3);
    assertThat(acme.activeSecrets(Instant.parse("2026-11-30T00:00:00Z"))).hasSize(2);
    assertThat(acme.activeSecrets(Instant.parse("2026-12-01T00:00:00Z"))).hasSize(1);
    assertThat(t.keysOf("acme")).isEqualTo(List.of(java.util.Map.of("id", "k1", "role", "submit")));
    assertThat(acme.signingSecrets().get(0).toString()).doesNotContain(SECRET);
  }

  @Test
  void refusesWhatWouldSilentlyWeakenIt() {
    String[][] cases = {
      {"{\"tenants\": {\"Acme\": {}}}", "tenants.Acme"},
      {"{\"tenants\": {\"a\": {\"quota\": {}}}}", "tenants.a.quota is not a known field"},
      {
        "{\"tenants\": {\"a\": {\"keys\": [{\"id\": \"k\", \"sha256\": \"abc\", \"role\": \"submit\"}]}}}",
        "sha256"
      },
      {
        "{\"tenants\": {\"a\": {\"keys\": [{\"id\": \"k\", \"sha256\": \""
            + HASH
            + "\", \"role\": \"root\"}]}}}",
        "role"
      },
      {
        "{\"tenants\": {\"a\": {\"keys\": [{\"id\": \"k\", \"sha256\": \""
            + HASH
            + "\", \"role\": \"read\"}]},"
            + " \"b\": {\"keys\": [{\"id\": \"k2\", \"sha256\": \""
            + HASH
            + "\", \"role\": \"admin\"}]}}}",
        "hash of another key"
      },
      {
        "{\"tenants\": {\"a\": {\"signingSecrets\": [{\"id\": \"s\", \"secret\": \"whsec_c2hvcnQ=\"}]}}}",
        "whsec_"
      },
      {"{\"tenants\": {\"a\": {\"quotas\": {\"maxPendingPerShard\": -1}}}}", "maxPendingPerShard"},
      {
        "{\"tenants\": {\"a\": {\"quotas\": {\"submitRatePerSecond\": \"fast\"}}}}",
        "submitRatePerSecond"
      },
      {"[]", "JSON object"},
      {"{broken", "not JSON"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> parse(c[0]))
          .as(c[0])
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining(c[1]);
    }
  }
}
