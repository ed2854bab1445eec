package dev.shardhook.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** API keys and a tenants file as an operator makes them (README, "Security"). */
public final class TenantsFixture {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TenantsFixture() {}

  public static String newKey() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "shk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  public static String newSecret() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "whsec_" + Base64.getEncoder().encodeToString(raw);
  }

  public static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"id":..,"sha256":..,"role":..}} for a tenants file. */
  public static String keyEntry(String id, String key, String role) {
    return "{\"id\":\"" + id + "\",\"sha256\":\"" + sha256(key) + "\",\"role\":\"" + role + "\"}";
  }

  /** Replaces the file as an operator should: a whole new file renamed over the old one. */
  public static void write(Path file, String json) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), "tenants", ".tmp");
      Files.writeString(tmp, json);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
