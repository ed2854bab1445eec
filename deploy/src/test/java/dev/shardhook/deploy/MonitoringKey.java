package dev.shardhook.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A tenants file with one {@code read} key of a tenant of its own, as Prometheus holds one
 * (deploy/README.md, "API keys"): servers started with it have API keys on.
 */
final class MonitoringKey {
  static final String KEY = "shk_" + "m".repeat(43);

  private MonitoringKey() {}

  static Path writeTenantsFile(Path dir) throws IOException {
    return Files.writeString(
        dir.resolve("tenants.json"),
        """
        {"tenants": {"monitoring": {"keys": [{"id": "prometheus", "role": "read", "sha256": "%s"}]}}}
        """
            .formatted(sha256Hex(KEY)));
  }

  private static String sha256Hex(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
