package dev.shardhook.support.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;

/** Throwaway CAs and certificates for 127.0.0.1 and localhost, written as PEM files. */
final class TestPki {
  private TestPki() {}

  static HeldCertificate ca(String name) {
    return new HeldCertificate.Builder()
        .commonName(name)
        .certificateAuthority(0)
        .duration(1, TimeUnit.DAYS)
        .build();
  }

  static HeldCertificate leaf(HeldCertificate ca, String name) {
    return new HeldCertificate.Builder()
        .commonName(name)
        .addSubjectAlternativeName("127.0.0.1")
        .addSubjectAlternativeName("localhost")
        .signedBy(ca)
        .duration(1, TimeUnit.DAYS)
        .build();
  }

  /** Writes {@code cert.pem}, {@code key.pem} (PKCS#8) and {@code ca.pem} under {@code dir}. */
  static TlsFiles write(Path dir, HeldCertificate ca, HeldCertificate leaf) {
    TlsFiles files =
        new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("ca.pem"));
    replace(files.ca(), ca.certificatePem());
    replace(files.key(), leaf.privateKeyPkcs8Pem());
    replace(files.cert(), leaf.certificatePem());
    return files;
  }

  /** Writes a temp file and renames it over {@code file}, as a certificate renewal should. */
  static void replace(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".tmp", ".pem");
      Files.writeString(temp, content);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
