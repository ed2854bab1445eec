package dev.shardhook.support.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.InvalidConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;

  @Test
  void readsPkcs8KeysAndCertificateChains() throws IOException {
    HeldCertificate ca = TestPki.ca("test-ca");
    HeldCertificate leaf = TestPki.leaf(ca, "node-a");
    Files.writeString(dir.resolve("chain.pem"), leaf.certificatePem() + "\n" + ca.certificatePem());
    Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPkcs8Pem());

    assertThat(PemFiles.certificates(dir.resolve("chain.pem")))
        .containsExactly(leaf.certificate(), ca.certificate());
    assertThat(PemFiles.privateKey(dir.resolve("key.pem")).getEncoded())
        .isEqualTo(leaf.keyPair().getPrivate().getEncoded());
  }

  @Test
  void readsPkcs1RsaKeys() throws IOException {
    HeldCertificate rsa = new HeldCertificate.Builder().rsa2048().commonName("rsa").build();
    Files.writeString(dir.resolve("key.pem"), rsa.privateKeyPkcs1Pem());

    var key = PemFiles.privateKey(dir.resolve("key.pem"));

    assertThat(key).isInstanceOf(RSAPrivateCrtKey.class);
    assertThat(key.getEncoded()).isEqualTo(rsa.keyPair().getPrivate().getEncoded());
  }

  @Test
  void readsSec1EcKeysAsOpensslWritesThem() throws Exception {
    // openssl ecparam -name prime256v1 -genkey: an EC PARAMETERS block, then EC PRIVATE KEY
    Path key = resource("ec-sec1-key.pem");
    Path cert = resource("ec-sec1-cert.pem");

    assertThat(PemFiles.privateKey(key)).isInstanceOf(ECPrivateKey.class);
    // loading checks that the key is the certificate's
    assertThat(TlsMaterial.load(new TlsFiles(cert, key, cert), 1).leaf().getSubjectX500Principal())
        .hasToString("CN=sec1-test");
  }

  @Test
  void refusesFilesWithoutKeysOrCertificates() throws IOException {
    Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    Files.writeString(
        dir.resolve("encrypted.pem"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.certificates(dir.resolve("empty.pem")))
        .hasMessageContaining("holds no PEM certificate");
    assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("empty.pem")))
        .hasMessageContaining("holds no PEM private key");
    assertThatThrownBy(() -> PemFiles.privateKey(dir.resolve("encrypted.pem")))
        .hasMessageContaining("encrypted");
  }

  @Test
  void refusesAKeyThatIsNotTheCertificates() {
    HeldCertificate ca = TestPki.ca("test-ca");
    TlsFiles files = TestPki.write(dir, ca, TestPki.leaf(ca, "node-a"));
    TestPki.replace(files.key(), TestPki.leaf(ca, "other").privateKeyPkcs8Pem());

    assertThatThrownBy(() -> TlsIdentity.load(files))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("is not the private key of the first certificate");
  }

  @Test
  void tlsIsAllThreeFilesOrNone() {
    Path p = dir.resolve("x.pem");
    assertThat(TlsFiles.ofAllOrNone(null, null, null)).isEmpty();
    assertThat(TlsFiles.ofAllOrNone(p, p, p)).isPresent();
    assertThatThrownBy(() -> TlsFiles.ofAllOrNone(p, p, null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("all three");
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(PemFilesTest.class.getResource("/tls/" + name).toURI());
  }
}
