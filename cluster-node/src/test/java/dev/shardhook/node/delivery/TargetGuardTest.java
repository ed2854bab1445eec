package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.problem.InvalidJobException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Only literal hosts and localhost: the build machine cannot resolve internet names.
class TargetGuardTest {
  private final TargetGuard strict = new TargetGuard(false);
  private final TargetGuard lenient = new TargetGuard(true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        // IPv4 ranges
        "http://127.0.0.1/",
        "http://127.255.255.254:8080/x",
        "http://0.0.0.0/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://100.127.255.255/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://user:pw@127.0.0.1:81/",
        // IPv6 ranges
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[febf::1]/",
        "http://[fc00::1]/",
        "http://[fd12:3456:789a::1]/",
        "http://[ff02::1]/",
        // IPv4 carried in IPv6
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:10.0.0.1]:8080/",
        "http://[::127.0.0.1]/",
        "http://[::ffff:0:169.254.169.254]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::192.168.0.1]/",
        "http://[64:ff9b:1::1]/",
        "http://[2002:7f00:1::1]/",
        // odd IPv4 spellings of 127.0.0.1 and 10.0.0.1
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0X7F000001/",
        "http://0177.0.0.1/",
        "http://0177.0000.0000.0001/",
        "http://127.1/",
        "http://127.0.1/",
        "http://0x7f.1/",
        "http://0x7f.0.0.1/",
        "http://127.0.0.1./",
        "http://012.0.0.1/",
        "http://167772161/",
        // 8.0.0.1 to inet_aton but 10.0.0.1 to the JDK, which reads leading zeros as decimal
        "http://010.0.0.1/",
        // names that always mean loopback
        "http://localhost/",
        "http://LOCALHOST:8080/",
        "http://localhost./",
        "http://api.localhost/",
      })
  void refusesInternalTargets(String url) {
    assertThatThrownBy(() -> strict.check(URI.create(url)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("url: host")
        .hasMessageContaining("not allowed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://93.184.216.34/",
        "https://93.184.216.34:8443/hook?x=1",
        "http://8.8.8.8/",
        "http://172.32.0.1/",
        "http://172.15.255.255/",
        "http://100.128.0.1/",
        "http://192.169.0.1/",
        "http://[2606:2800:220:1:248:1893:25c6:1946]/",
        "http://[::ffff:93.184.216.34]/",
        "http://[64:ff9b::5db8:d822]/",
        "http://1572395042/",
        "http://0x5db8d822/",
      })
  void allowsPublicLiterals(String url) {
    assertThatCode(() -> strict.check(URI.create(url))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://93.184.216.34/",
        "file:///etc/passwd",
        "gopher://93.184.216.34/",
        "http:93.184.216.34",
        "http:///path",
        "/relative/path",
        "http://93.184.216.34:0/",
        "http://93.184.216.34:65536/",
        "http://127.1:99999/",
      })
  void rejectsUrlsThatAreNotHttpTargets(String url) {
    assertThatThrownBy(() -> lenient.check(URI.create(url)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith("url: ");
    assertThatThrownBy(() -> strict.check(URI.create(url))).isInstanceOf(InvalidJobException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://256.0.0.1/", "http://1.2.3.4.5/", "http://0x1g.0.0.1/"})
  void rejectsMalformedNumericHosts(String url) {
    assertThatThrownBy(() -> strict.check(URI.create(url)))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("not a valid");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> strict.check(null)).isInstanceOf(InvalidJobException.class);
  }

  @Test
  void allowPrivateLetsLoopbackThrough() {
    assertThatCode(() -> lenient.check(URI.create("http://127.0.0.1:8080/hook")))
        .doesNotThrowAnyException();
    assertThatCode(() -> lenient.check(URI.create("http://localhost/"))).doesNotThrowAnyException();
    assertThatCode(() -> lenient.check(URI.create("http://[::1]/"))).doesNotThrowAnyException();
    assertThat(lenient.asDns()).isSameAs(Dns.SYSTEM);
  }

  @Test
  void literalCheckAtDeliveryDoesNotResolve() {
    assertThatThrownBy(() -> strict.checkLiteral("127.0.0.1"))
        .isInstanceOf(InvalidJobException.class);
    assertThatThrownBy(() -> strict.checkLiteral("[::ffff:a9fe:a9fe]"))
        .isInstanceOf(InvalidJobException.class);
    assertThatCode(() -> strict.checkLiteral("hooks.example.com")).doesNotThrowAnyException();
    assertThatCode(() -> lenient.checkLiteral("127.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void guardedDnsDropsInternalAddresses() throws Exception {
    InetAddress pub = InetAddress.getByName("93.184.216.34");
    InetAddress priv = InetAddress.getByName("10.0.0.5");
    InetAddress mapped = InetAddress.getByName("::ffff:127.0.0.1");
    Dns dns = new GuardedDns(host -> List.of(priv, pub, mapped));
    assertThat(dns.lookup("hooks.example.com")).containsExactly(pub);
  }

  @Test
  void guardedDnsRefusesNamesThatResolveOnlyInside() throws Exception {
    InetAddress loop = InetAddress.getByName("127.0.0.1");
    InetAddress ula = InetAddress.getByName("fd00::1");
    Dns dns = new GuardedDns(host -> List.of(loop, ula));
    assertThatThrownBy(() -> dns.lookup("rebound.example.com"))
        .isInstanceOf(RefusedTargetException.class)
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("loopback");
  }

  @Test
  void guardedDnsReadsNumericHostsItselfAndLocalhostNeverResolves() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    Dns dns =
        new GuardedDns(
            host -> {
              lookups.incrementAndGet();
              return List.of(InetAddress.getByName("93.184.216.34"));
            });
    assertThatThrownBy(() -> dns.lookup("0x7f000001")).isInstanceOf(RefusedTargetException.class);
    assertThatThrownBy(() -> dns.lookup("localhost")).isInstanceOf(RefusedTargetException.class);
    assertThat(dns.lookup("0x5db8d822")).containsExactly(InetAddress.getByName("93.184.216.34"));
    assertThat(lookups).hasValue(0);
    assertThatThrownBy(() -> dns.lookup("1.2.3.4.5"))
        .isInstanceOf(UnknownHostException.class)
        .isNotInstanceOf(RefusedTargetException.class);
  }

  @Test
  void strictGuardUsesGuardedDns() {
    assertThat(strict.asDns()).isInstanceOf(GuardedDns.class);
  }
}
