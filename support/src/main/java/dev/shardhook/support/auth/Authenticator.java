package dev.shardhook.support.auth;

import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.ForbiddenException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.UnauthorizedException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Turns a request's {@code Authorization} and {@code Shardhook-Tenant} headers into the {@link
 * Caller} it acts as, or refuses it: 401 for no key or an unknown one, 403 for a role that does not
 * cover the route. Keys are never logged or echoed.
 */
public final class Authenticator {
  /** The header an admin key names another tenant with. */
  public static final String TENANT_HEADER = "Shardhook-Tenant";

  private final Supplier<Tenants> tenants;

  private Authenticator(Supplier<Tenants> tenants) {
    this.tenants = tenants;
  }

  /** Checks keys against the current version of a tenants file. */
  public static Authenticator of(Supplier<Tenants> tenants) {
    return new Authenticator(tenants);
  }

  /** No keys: every request acts as {@link Caller#UNAUTHENTICATED} ({@code --insecure-no-auth}). */
  public static Authenticator none() {
    return new Authenticator(null);
  }

  /**
   * @param authorization the {@code Authorization} header, or null
   * @param tenantHeader the {@code Shardhook-Tenant} header, or null
   * @return the caller, or null for an {@link Access#OPEN} route
   */
  public Caller check(String authorization, String tenantHeader, Access access) {
    if (access == Access.OPEN) {
      return null;
    }
    if (tenants == null) {
      return tenantHeader == null
          ? Caller.UNAUTHENTICATED
          : new Caller(named(tenantHeader), Role.ADMIN, Caller.UNAUTHENTICATED.keyId());
    }
    String key = BearerToken.parse(authorization);
    if (key == null) {
      throw new UnauthorizedException(authorization != null);
    }
    Tenants current = tenants.get();
    Tenants.KeyEntry entry = current.key(key).orElseThrow(() -> new UnauthorizedException(true));
    if (!entry.role().covers(access.least())) {
      throw new ForbiddenException(
          "key '"
              + entry.id()
              + "' has role "
              + entry.role().name().toLowerCase(Locale.ROOT)
              + "; this request needs "
              + access.least().name().toLowerCase(Locale.ROOT));
    }
    String tenant = entry.tenant();
    if (tenantHeader != null && !tenantHeader.equals(tenant)) {
      if (entry.role() != Role.ADMIN) {
        throw new ForbiddenException(
            "only an admin key may act for another tenant (" + TENANT_HEADER + ")");
      }
      tenant = named(tenantHeader);
      if (current.tenant(tenant).isEmpty()) {
        throw new BadRequestException(TENANT_HEADER + ": no tenant '" + tenant + "'");
      }
    }
    return new Caller(tenant, entry.role(), entry.id());
  }

  private static String named(String tenantHeader) {
    if (!TenantsFile.isTenantName(tenantHeader)) {
      throw new BadRequestException(
          TENANT_HEADER
              + ": "
              + Printable.of(tenantHeader)
              + " is no tenant name ([a-z0-9][a-z0-9_-]{0,62})");
    }
    return tenantHeader;
  }
}
