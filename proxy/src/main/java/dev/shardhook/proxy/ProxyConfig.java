package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxySettings.BREAKER;
import static dev.shardhook.proxy.ProxySettings.CONNECT_TIMEOUT;
import static dev.shardhook.proxy.ProxySettings.FORWARD_TIMEOUT;
import static dev.shardhook.proxy.ProxySettings.HTTP_HOST;
import static dev.shardhook.proxy.ProxySettings.HTTP_PORT;
import static dev.shardhook.proxy.ProxySettings.MAX_REQUEST_BYTES;
import static dev.shardhook.proxy.ProxySettings.SHARDS;
import static dev.shardhook.proxy.ProxySettings.SHARD_MAP;
import static dev.shardhook.proxy.ProxySettings.STATUS_INTERVAL;
import static dev.shardhook.support.config.Check.require;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.routing.ShardMapSource;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.auth.AuthSettings;
import dev.shardhook.support.config.BreakerConfig;
import dev.shardhook.support.config.Setting;
import dev.shardhook.support.config.SettingMap;
import dev.shardhook.support.config.SettingValues;
import dev.shardhook.support.tls.TlsFiles;
import dev.shardhook.support.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a proxy needs to start: its shard map and a value for each of {@link ProxySettings}.
 * Immutable; {@link Builder#build()} checks every value against its setting and throws {@link
 * InvalidConfigException} naming the bad setting by its flag.
 */
public final class ProxyConfig {
  /** The settings a builder sets; the shard map's two sources become one {@link ShardMap}. */
  private static final List<Setting<?>> VALUES =
      ProxySettings.ALL.stream().filter(s -> s != SHARD_MAP && s != SHARDS).toList();

  private final SettingMap values;
  private final ShardMap shardMap;

  private ProxyConfig(SettingMap values, ShardMap shardMap) {
    this.values = values;
    this.shardMap = shardMap;
  }

  public static Builder builder() {
    return new Builder(SettingMap.defaults(VALUES));
  }

  /**
   * The config from settings read from flags and the environment; reads the shard map file.
   *
   * @throws InvalidConfigException naming the first bad setting, or what is wrong with the map
   */
  public static ProxyConfig from(SettingValues read) {
    Path file = read.get(SHARD_MAP);
    String inline = read.get(SHARDS);
    if (file != null && inline != null) {
      throw new InvalidConfigException("give --shard-map or --shards, not both");
    }
    if (file == null && inline == null) {
      throw new InvalidConfigException(
          "shard-map: required (--shard-map FILE or --shards shard-0=http://host:port,...)");
    }
    Builder b =
        builder().shardMap(file != null ? ShardMapSource.read(file) : ShardMapSource.parse(inline));
    b.values.setAll(read);
    return b.build();
  }

  /** A builder holding this config's values, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(values.toBuilder()).shardMap(shardMap);
  }

  public String httpHost() {
    return get(HTTP_HOST);
  }

  /** The HTTP port; 0 picks a free one (see {@link ProxyServer#port()}). */
  public int httpPort() {
    return get(HTTP_PORT);
  }

  public ShardMap shardMap() {
    return shardMap;
  }

  /** The longest a request waits for its shard, fallbacks to other nodes included (then 504). */
  public Duration forwardTimeout() {
    return get(FORWARD_TIMEOUT);
  }

  /** The longest a connection to a node may take before the node counts as unreachable. */
  public Duration connectTimeout() {
    return get(CONNECT_TIMEOUT);
  }

  /** The largest request body accepted (then 413). */
  public int maxRequestBytes() {
    return get(MAX_REQUEST_BYTES);
  }

  /** About how often each node's {@code /status} is polled (jittered by ±20%). */
  public Duration statusInterval() {
    return get(STATUS_INTERVAL);
  }

  /** The tenants file API keys are checked against; null when the proxy serves without keys. */
  public Path tenantsFile() {
    return AuthSettings.tenantsFile(values);
  }

  /** Each node's circuit breaker. */
  public BreakerConfig breaker() {
    return BREAKER.from(values);
  }

  /**
   * This proxy's certificate, key and CA: when present it serves HTTPS, and presents its
   * certificate to the nodes and trusts theirs only when the CA signed them (README, "TLS and
   * mTLS").
   */
  public Optional<TlsFiles> tls() {
    return TlsSettings.from(values);
  }

  private <T> T get(Setting<T> setting) {
    return values.get(setting);
  }

  /** Collects a {@link ProxyConfig}; defaults are the settings' defaults. */
  public static final class Builder {
    private final SettingMap.Builder values;
    private ShardMap shardMap;

    private Builder(SettingMap.Builder values) {
      this.values = values;
    }

    /** Sets any of {@link ProxySettings} but the shard map's two sources. */
    public <T> Builder set(Setting<T> setting, T value) {
      values.set(setting, value);
      return this;
    }

    public Builder tenantsFile(Path v) {
      return set(AuthSettings.TENANTS_FILE, v);
    }

    /** Serve without API keys (tests, local experiments). */
    public Builder insecureNoAuth(boolean v) {
      return set(AuthSettings.INSECURE_NO_AUTH, v);
    }

    public Builder httpHost(String v) {
      return set(HTTP_HOST, v);
    }

    public Builder httpPort(int v) {
      return set(HTTP_PORT, v);
    }

    public Builder shardMap(ShardMap v) {
      shardMap = v;
      return this;
    }

    public Builder forwardTimeout(Duration v) {
      return set(FORWARD_TIMEOUT, v);
    }

    public Builder connectTimeout(Duration v) {
      return set(CONNECT_TIMEOUT, v);
    }

    public Builder maxRequestBytes(int v) {
      return set(MAX_REQUEST_BYTES, v);
    }

    public Builder statusInterval(Duration v) {
      return set(STATUS_INTERVAL, v);
    }

    public Builder breakerOpenDuration(Duration v) {
      return set(BREAKER.openDuration(), v);
    }

    /** null: TLS off. */
    public Builder tls(TlsFiles v) {
      set(TlsSettings.CERT, v == null ? null : v.cert());
      set(TlsSettings.KEY, v == null ? null : v.key());
      return set(TlsSettings.CA, v == null ? null : v.ca());
    }

    /**
     * @throws InvalidConfigException naming the first bad setting
     */
    public ProxyConfig build() {
      require(shardMap != null, "shard-map", "given (--shard-map FILE or --shards SPEC)");
      SettingMap checked = values.build();
      require(
          checked.get(CONNECT_TIMEOUT).compareTo(checked.get(FORWARD_TIMEOUT)) <= 0,
          "connect-timeout",
          "between 1ms and the forward timeout");
      BREAKER.from(checked);
      AuthSettings.tenantsFile(checked);
      if (TlsSettings.from(checked).isPresent()) {
        // The nodes require client certificates over HTTPS; a plain http URL would never reach one.
        for (ShardMap.Shard shard : shardMap.shards()) {
          for (URI node : shard.nodes()) {
            require(
                "https".equalsIgnoreCase(node.getScheme()),
                "shard-map",
                "https:// node URLs when --tls-cert is given (" + node + " is not)");
          }
        }
      }
      return new ProxyConfig(checked, shardMap);
    }
  }
}
