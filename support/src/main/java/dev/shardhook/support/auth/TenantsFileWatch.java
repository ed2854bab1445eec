package dev.shardhook.support.auth;

import dev.shardhook.support.InvalidConfigException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants file, read again whenever its content changes, so a key added or revoked takes effect
 * within one poll on every process that reads the file, without a restart. The file is polled
 * rather than watched: polling also sees the symlink swaps of Kubernetes secrets and files on
 * network mounts. A version that fails to read or parse is skipped (logged and counted) and the
 * last good one stays in force.
 */
public final class TenantsFileWatch implements Supplier<Tenants>, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantsFileWatch.class);

  private final Path file;
  private final Duration every;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failedReloads = new AtomicLong();
  private final Thread poller;
  private volatile Tenants current;
  private volatile boolean closed;
  private byte[] lastContent;

  private TenantsFileWatch(Path file, Duration every, byte[] content, Tenants first) {
    this.file = file;
    this.every = every;
    this.lastContent = content;
    this.current = first;
    this.poller = Thread.ofVirtual().name("tenants-file-watch").unstarted(this::pollUntilClosed);
  }

  /**
   * Reads the file and starts polling it every {@code every}.
   *
   * @throws InvalidConfigException when the file cannot be read or is not a valid tenants file
   */
  public static TenantsFileWatch start(Path file, Duration every) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidConfigException("tenants file: cannot read " + file + " (" + e + ")");
    }
    TenantsFileWatch watch = new TenantsFileWatch(file, every, content, TenantsFile.parse(content));
    watch.poller.start();
    LOG.info("tenants file {}: {} tenants", file, watch.current.all().size());
    return watch;
  }

  @Override
  public Tenants get() {
    return current;
  }

  /** Versions of the file read and put in force since start. */
  long reloads() {
    return reloads.get();
  }

  /** Versions of the file that could not be read or parsed, so the one before stayed in force. */
  public long failedReloads() {
    return failedReloads.get();
  }

  /** Reads the file now if it changed; the poller calls this, and tests may. */
  void reloadIfChanged() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      fail("cannot read it (" + e + ")");
      return;
    }
    if (Arrays.equals(content, lastContent)) {
      return;
    }
    lastContent = content;
    try {
      current = TenantsFile.parse(content);
      reloads.incrementAndGet();
      LOG.info("tenants file {} reloaded: {} tenants", file, current.all().size());
    } catch (InvalidConfigException e) {
      fail(e.getMessage());
    }
  }

  private void fail(String why) {
    failedReloads.incrementAndGet();
    LOG.warn("tenants file {}: keeping the version in force: {}", file, why);
  }

  private void pollUntilClosed() {
    while (!closed) {
      try {
        Thread.sleep(every);
        reloadIfChanged();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        failedReloads.incrementAndGet();
        LOG.warn("tenants file {}: reload failed", file, e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    poller.interrupt();
  }
}
