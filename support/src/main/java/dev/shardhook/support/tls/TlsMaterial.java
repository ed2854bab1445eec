package dev.shardhook.support.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One loaded generation of the TLS files: the key store (this process's key and chain), the trust
 * store (the CA certificates), and the JDK's key and trust managers over them.
 *
 * @param alias the key's alias, new for each generation so that no TLS stack that caches key
 *     material by alias serves an old one after a reload
 */
record TlsMaterial(
    String alias,
    X509Certificate leaf,
    KeyStore keyStore,
    KeyStore trustStore,
    X509ExtendedKeyManager keyManager,
    X509ExtendedTrustManager trustManager) {
  /**
   * The in-memory key store's password; the key is only ever in memory, not in a key store file.
   */
  static final String STORE_PASSWORD = "in-memory";

  /** The three files' content; a change to any of them is a new generation to load. */
  static String contentDigest(TlsFiles files) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (var path : List.of(files.cert(), files.key(), files.ca())) {
        byte[] content = Files.readAllBytes(path);
        sha.update(Long.toString(content.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(content);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Reads and checks the files: a chain and a key that belongs to its first certificate, and at
   * least one CA certificate.
   *
   * @throws IOException naming the file that cannot be read or used
   */
  static TlsMaterial load(TlsFiles files, long generation) throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(files.cert());
    PrivateKey key = PemFiles.privateKey(files.key());
    List<X509Certificate> cas = PemFiles.certificates(files.ca());
    if (!belongTogether(key, chain.getFirst().getPublicKey())) {
      throw new IOException(
          files.key() + ": is not the private key of the first certificate of " + files.cert());
    }
    String alias = "shardhook-" + generation;
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(
          alias, key, STORE_PASSWORD.toCharArray(), chain.toArray(new X509Certificate[0]));
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        trustStore.setCertificateEntry("ca-" + i, cas.get(i));
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
      kmf.init(keyStore, STORE_PASSWORD.toCharArray());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trustStore);
      return new TlsMaterial(
          alias,
          chain.getFirst(),
          keyStore,
          trustStore,
          only(X509ExtendedKeyManager.class, kmf.getKeyManagers()),
          only(X509ExtendedTrustManager.class, tmf.getTrustManagers()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException("cannot use " + files + ": " + e.getMessage(), e);
    }
  }

  /**
   * Signs random bytes with the key and checks them with the certificate's public key, so a key and
   * certificate from different pairs (say, a renewal half written) are refused here rather than at
   * every handshake.
   */
  private static boolean belongTogether(PrivateKey key, PublicKey certified) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) {
      return true; // RSASSA-PSS and rarer keys: the handshake is the check
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static <T> T only(Class<T> type, Object[] managers) throws GeneralSecurityException {
    return Arrays.stream(managers)
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElseThrow(() -> new GeneralSecurityException("the JDK offers no " + type.getName()));
  }

  KeyManager[] keyManagers() {
    return new KeyManager[] {keyManager};
  }

  TrustManager[] trustManagers() {
    return new TrustManager[] {trustManager};
  }
}
