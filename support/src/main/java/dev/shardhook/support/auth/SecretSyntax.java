package dev.shardhook.support.auth;

import java.util.Base64;

/** The form of a Standard Webhooks signing secret: {@code whsec_<base64 key>}. */
public final class SecretSyntax {
  private static final String PREFIX = "whsec_";

  /** Shorter keys are guessable; the spec recommends 24 to 64 bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private SecretSyntax() {}

  public static boolean isValid(String secret) {
    try {
      decode(secret);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The HMAC key a secret holds.
   *
   * @throws IllegalArgumentException saying what is wrong (never echoing the secret)
   */
  public static byte[] decode(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("signing secret must look like whsec_<base64 key>");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "signing secret: the part after whsec_ is not valid base64 (" + e.getMessage() + ")");
    }
    if (raw.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "signing secret: key is "
              + raw.length
              + " bytes, at least "
              + MIN_KEY_BYTES
              + " are required (24 to 64 recommended)");
    }
    return raw;
  }
}
