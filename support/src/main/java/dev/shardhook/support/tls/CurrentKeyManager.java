package dev.shardhook.support.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the current generation's key and chain at each handshake, so that clients (OkHttp, Ratis
 * gRPC) pick up reloaded files without being rebuilt; connections already open keep theirs.
 */
final class CurrentKeyManager extends X509ExtendedKeyManager {
  private final Supplier<TlsMaterial> current;

  CurrentKeyManager(Supplier<TlsMaterial> current) {
    this.current = current;
  }

  private X509ExtendedKeyManager now() {
    return current.get().keyManager();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return now().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return now().chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return now().chooseEngineClientAlias(keyType, issuers, engine);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return now().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return now().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return now().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return now().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return now().getPrivateKey(alias);
  }
}
