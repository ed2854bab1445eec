package dev.shardhook.node.testing;

import dev.shardhook.support.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;

/**
 * A throwaway CA that issues certificates for 127.0.0.1 and localhost, written as the PEM files
 * {@code --tls-cert}, {@code --tls-key} (PKCS#8) and {@code --tls-ca} take.
 *
 * @param dir each issued certificate's files go under {@code dir/<name>/}
 */
public record TestTls(HeldCertificate ca, Path dir) {
  /** A new CA named {@code name}. */
  public static TestTls newCa(Path dir, String name) {
    return new TestTls(
        new HeldCertificate.Builder()
            .commonName(name)
            .certificateAuthority(0)
            .duration(1, TimeUnit.DAYS)
            .build(),
        dir);
  }

  /** Issues a certificate named {@code name} and writes it, its key and this CA's certificate. */
  public TlsFiles issue(String name) {
    HeldCertificate leaf =
        new HeldCertificate.Builder()
            .commonName(name)
            .addSubjectAlternativeName("127.0.0.1")
            .addSubjectAlternativeName("localhost")
            .signedBy(ca)
            .duration(1, TimeUnit.DAYS)
            .build();
    Path home = dir.resolve(name);
    TlsFiles files =
        new TlsFiles(home.resolve("cert.pem"), home.resolve("key.pem"), home.resolve("ca.pem"));
    replace(files.ca(), ca.certificatePem());
    replace(files.key(), leaf.privateKeyPkcs8Pem());
    replace(files.cert(), leaf.certificatePem());
    return files;
  }

  /** Writes a temp file and renames it over {@code file}, as a certificate renewal should. */
  private static void replace(Path file, String content) {
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
