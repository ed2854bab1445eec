package dev.shardhook.support.tls;

import dev.shardhook.support.config.Setting;
import dev.shardhook.support.config.SettingMap;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The three TLS settings, the same on the node and the proxy; what each process does with them is
 * in their settings' descriptions and the README ("TLS and mTLS").
 */
public final class TlsSettings {
  public static final Setting<Path> CERT =
      Setting.path(
          "tls-cert",
          null,
          "PEM certificate chain (leaf first) of this process; with --tls-key and --tls-ca turns"
              + " TLS on. Reloaded when it changes.");
  public static final Setting<Path> KEY =
      Setting.path(
          "tls-key",
          null,
          "PEM private key of --tls-cert (PKCS#8; PKCS#1 RSA and SEC1 EC also read). Reloaded"
              + " when it changes.");
  public static final Setting<Path> CA =
      Setting.path(
          "tls-ca",
          null,
          "PEM CA certificate(s) that sign the peers' certificates. Reloaded when it changes.");

  /** In the order {@code --help} and the README list them. */
  public static final List<Setting<?>> ALL = List.of(CERT, KEY, CA);

  private TlsSettings() {}

  /**
   * The TLS files from checked values; empty when TLS is off.
   *
   * @throws dev.shardhook.support.InvalidConfigException when only some of the three are given
   */
  public static Optional<TlsFiles> from(SettingMap values) {
    return TlsFiles.ofAllOrNone(values.get(CERT), values.get(KEY), values.get(CA));
  }
}
