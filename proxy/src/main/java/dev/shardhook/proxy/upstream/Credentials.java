package dev.shardhook.proxy.upstream;

import dev.shardhook.support.auth.Authenticator;
import dev.shardhook.support.http.Exchange;

/**
 * The client's own credentials, passed on to the node unchanged: the node checks the key again and
 * scopes the job to its tenant, so it never has to trust the proxy's word for who is asking.
 *
 * @param authorization the {@code Authorization} header, or null
 * @param tenant the {@code Shardhook-Tenant} header, or null
 */
public record Credentials(String authorization, String tenant) {
  public static final Credentials NONE = new Credentials(null, null);

  public static Credentials of(Exchange exchange) {
    return new Credentials(
        exchange.header("Authorization"), exchange.header(Authenticator.TENANT_HEADER));
  }
}
