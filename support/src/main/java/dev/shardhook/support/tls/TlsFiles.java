package dev.shardhook.support.tls;

import dev.shardhook.support.InvalidConfigException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where this process's TLS identity lives: its certificate chain, its private key and the CA
 * certificates it trusts, as PEM files (README, "TLS and mTLS").
 *
 * @param cert the certificate chain, leaf first ({@code --tls-cert})
 * @param key the private key: PKCS#8 ({@code BEGIN PRIVATE KEY}), or the PKCS#1 RSA and SEC1 EC
 *     forms ({@code --tls-key})
 * @param ca the CA certificate(s) that sign the peers' certificates ({@code --tls-ca})
 */
public record TlsFiles(Path cert, Path key, Path ca) {
  public TlsFiles {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ca, "ca");
  }

  /**
   * TLS on when all three paths are given, off when none is.
   *
   * @throws InvalidConfigException when only some are given
   */
  public static Optional<TlsFiles> ofAllOrNone(Path cert, Path key, Path ca) {
    int given = (cert != null ? 1 : 0) + (key != null ? 1 : 0) + (ca != null ? 1 : 0);
    if (given == 0) {
      return Optional.empty();
    }
    if (given < 3) {
      throw new InvalidConfigException(
          "tls-cert, tls-key, tls-ca: must be given all three (TLS on) or none (TLS off)");
    }
    return Optional.of(new TlsFiles(cert, key, ca));
  }
}
