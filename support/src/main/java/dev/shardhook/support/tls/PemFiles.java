package dev.shardhook.support.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads certificates and private keys from PEM text. */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

  /** What a PKCS#8 key may hold; the key's own algorithm identifier decides which one parses. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");

  private PemFiles() {}

  /** A PEM block: its label ({@code CERTIFICATE}) and its decoded content. */
  record Block(String label, byte[] der) {}

  static List<Block> blocks(String pem) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
    }
    return out;
  }

  /**
   * Every {@code CERTIFICATE} block of the file, in order.
   *
   * @throws IOException when the file cannot be read, or holds no certificate or a bad one
   */
  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(Files.readString(file, StandardCharsets.US_ASCII))) {
        if (b.label().equals("CERTIFICATE")) {
          out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IOException(file + ": not a PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IOException(file + ": holds no PEM certificate (BEGIN CERTIFICATE)");
    }
    return List.copyOf(out);
  }

  /**
   * The file's private key: {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) or
   * {@code EC PRIVATE KEY} (SEC1, which must name its curve, as OpenSSL writes it).
   *
   * @throws IOException when the file cannot be read or holds no such key (an encrypted key too)
   */
  static PrivateKey privateKey(Path file) throws IOException {
    List<Block> blocks = blocks(Files.readString(file, StandardCharsets.US_ASCII));
    try {
      for (Block b : blocks) {
        switch (b.label()) {
          case "PRIVATE KEY" -> {
            return pkcs8(b.der());
          }
          case "RSA PRIVATE KEY" -> {
            return pkcs8(
                Der.privateKeyInfo(Der.sequence(Der.RSA_ENCRYPTION, nullElement()), b.der()));
          }
          case "EC PRIVATE KEY" -> {
            byte[] algorithm = Der.sequence(Der.EC_PUBLIC_KEY, Der.sec1Curve(b.der()));
            return pkcs8(Der.privateKeyInfo(algorithm, b.der()));
          }
          case "ENCRYPTED PRIVATE KEY" ->
              throw new IOException(file + ": the private key is encrypted; give it unencrypted");
          default -> {
            // EC PARAMETERS and the like: not the key
          }
        }
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + ": not a usable private key: " + e.getMessage(), e);
    }
    throw new IOException(file + ": holds no PEM private key (BEGIN PRIVATE KEY)");
  }

  private static byte[] nullElement() {
    return Der.element(Der.NULL, new byte[0]);
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }
}
