package dev.shardhook.support.auth;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where a server gets its tenants: the watched tenants file, or none at all ({@code
 * --insecure-no-auth}). Closing stops the watch.
 */
public final class TenantsSource implements Supplier<Tenants>, Closeable {
  static final Duration POLL = Duration.ofSeconds(1);

  private final TenantsFileWatch watch;

  private TenantsSource(TenantsFileWatch watch) {
    this.watch = watch;
  }

  /**
   * @param tenantsFile the file, or null to serve without keys
   * @throws dev.shardhook.support.InvalidConfigException when the file cannot be read or parsed
   */
  public static TenantsSource open(Path tenantsFile) {
    return new TenantsSource(
        tenantsFile == null ? null : TenantsFileWatch.start(tenantsFile, POLL));
  }

  public Authenticator authenticator() {
    return watch == null ? Authenticator.none() : Authenticator.of(watch);
  }

  /** The tenants now in force; none without a file. */
  @Override
  public Tenants get() {
    return watch == null ? Tenants.EMPTY : watch.get();
  }

  /** Versions of the file that failed to load (the previous one stayed in force). */
  public long failedReloads() {
    return watch == null ? 0 : watch.failedReloads();
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
