package dev.shardhook.support.tls;

import dev.shardhook.support.InvalidConfigException;
import java.io.Closeable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's TLS identity, kept current: the certificate chain, key and CA certificates of
 * {@link TlsFiles}, read at start and read again whenever the files' content changes (polled every
 * {@link #DEFAULT_POLL_INTERVAL}), so that a renewed certificate needs no restart. New connections
 * get the new generation; open ones keep theirs. A change that cannot be loaded (unreadable, half
 * written, a key that is not the certificate's) is logged and counted, and the last good generation
 * stays in use.
 *
 * <p>Hands the identity to Jetty ({@link #serverFactory}, reloaded through {@link
 * SslContextFactory#reload}) and to clients ({@link #sslSocketFactory}, {@link #keyManager}, {@link
 * #trustManager}), which read the current generation at each handshake.
 */
public final class TlsIdentity implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(TlsIdentity.class);

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  private final TlsFiles files;
  private final Duration pollInterval;
  private final List<SslContextFactory.Server> servers = new CopyOnWriteArrayList<>();
  private final X509ExtendedKeyManager keyManager;
  private final X509TrustManager trustManager;
  private final SSLContext clientContext;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failedReloads = new AtomicLong();
  private final Thread poller;
  private volatile TlsMaterial current;
  // Only the poller reads and writes these after the constructor.
  private String seenDigest;
  private long generation;

  private TlsIdentity(TlsFiles files, Duration pollInterval) throws IOException {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
    }
    this.files = files;
    this.pollInterval = pollInterval;
    this.seenDigest = TlsMaterial.contentDigest(files);
    this.current = TlsMaterial.load(files, ++generation);
    this.keyManager = new CurrentKeyManager(() -> current);
    this.trustManager = new CurrentTrustManager(() -> current);
    try {
      this.clientContext = SSLContext.getInstance("TLS");
      clientContext.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK offers no TLS context", e);
    }
    this.poller = Thread.ofVirtual().name("tls-reload").start(this::pollUntilClosed);
  }

  /**
   * Reads the files and starts watching them.
   *
   * @throws InvalidConfigException naming the file that cannot be read or used (start-up refuses a
   *     bad identity rather than serving without one)
   */
  public static TlsIdentity load(TlsFiles files) {
    return load(files, DEFAULT_POLL_INTERVAL);
  }

  /** As {@link #load(TlsFiles)}, polling the files every {@code pollInterval} (tests: short). */
  public static TlsIdentity load(TlsFiles files, Duration pollInterval) {
    try {
      TlsIdentity identity = new TlsIdentity(files, pollInterval);
      LOG.info(
          "TLS identity {} loaded from {}",
          identity.current.leaf().getSubjectX500Principal().getName(),
          files.cert());
      return identity;
    } catch (IOException e) {
      throw new InvalidConfigException("tls-cert, tls-key, tls-ca: " + e.getMessage());
    }
  }

  /**
   * A Jetty server-side TLS factory on the current generation, reloaded with it.
   *
   * @param needClientAuth refuse clients without a certificate signed by the CA (mutual TLS)
   */
  public SslContextFactory.Server serverFactory(boolean needClientAuth) {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStorePassword(TlsMaterial.STORE_PASSWORD);
    factory.setKeyManagerPassword(TlsMaterial.STORE_PASSWORD);
    factory.setNeedClientAuth(needClientAuth);
    // A wrong or absent SNI name is the client's problem to judge: clients verify the host name.
    factory.setSniRequired(false);
    applyTo(current).accept(factory);
    servers.add(factory);
    return factory;
  }

  /**
   * A server side that asks every client for a certificate and checks one that is offered against
   * the CA, but lets a client without one finish the handshake, so that load balancers and
   * orchestrators can probe the open routes; {@link
   * dev.shardhook.support.http.Routes#requireClientCertificates} refuses the rest.
   */
  public SslContextFactory.Server serverFactoryAskingClientCertificates() {
    SslContextFactory.Server factory = serverFactory(false);
    factory.setWantClientAuth(true);
    return factory;
  }

  /** For clients (OkHttp): presents this identity, trusts peers signed by the CA. */
  public SSLSocketFactory sslSocketFactory() {
    return clientContext.getSocketFactory();
  }

  /** Checks peers against the current CA certificates. */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** Presents the current key and chain. */
  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  /** Generations loaded since start, the first one not counted. */
  public long reloads() {
    return reloads.get();
  }

  /** Changes to the files that could not be loaded (the previous generation stayed in use). */
  public long failedReloads() {
    return failedReloads.get();
  }

  /** Stops watching the files; what was handed out keeps the last generation. */
  @Override
  public void close() {
    poller.interrupt();
  }

  private void pollUntilClosed() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(pollInterval);
        reloadIfChanged();
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        failedReloads.incrementAndGet();
        LOG.warn("TLS reload check failed; keeping the current certificate", t);
      }
    }
  }

  /** One poll: a new generation if the files' content changed and loads. */
  private void reloadIfChanged() {
    String digest;
    try {
      digest = TlsMaterial.contentDigest(files);
    } catch (IOException e) {
      // A file replaced by rename may be missing for a moment; the next poll sees it.
      LOG.debug("TLS files not readable right now", e);
      return;
    }
    if (digest.equals(seenDigest)) {
      return;
    }
    seenDigest = digest;
    TlsMaterial next;
    try {
      next = TlsMaterial.load(files, ++generation);
      SSLContext probe = SSLContext.getInstance("TLS");
      probe.init(next.keyManagers(), next.trustManagers(), null);
    } catch (IOException | GeneralSecurityException e) {
      failedReloads.incrementAndGet();
      LOG.warn(
          "TLS files changed but cannot be used; keeping the current certificate: {}",
          e.getMessage());
      return;
    }
    TlsMaterial previous = current;
    current = next;
    for (SslContextFactory.Server factory : servers) {
      reload(factory, next, previous);
    }
    reloads.incrementAndGet();
    LOG.info(
        "TLS identity reloaded: {}, valid until {}",
        next.leaf().getSubjectX500Principal().getName(),
        next.leaf().getNotAfter().toInstant());
  }

  private void reload(SslContextFactory.Server factory, TlsMaterial next, TlsMaterial previous) {
    if (!factory.isRunning()) {
      // Not started yet (it loads what it is given when it starts) or stopped for good.
      applyTo(next).accept(factory);
      return;
    }
    try {
      factory.reload(applyTo(next));
    } catch (Exception e) {
      failedReloads.incrementAndGet();
      LOG.warn("HTTPS server refused the reloaded certificate; restoring the previous one", e);
      try {
        factory.reload(applyTo(previous));
      } catch (Exception again) {
        LOG.error("HTTPS server could not restore its previous certificate", again);
      }
    }
  }

  private static Consumer<SslContextFactory> applyTo(TlsMaterial material) {
    return f -> {
      f.setKeyStore(material.keyStore());
      f.setTrustStore(material.trustStore());
    };
  }
}
