package dev.shardhook.support.auth;

/** What an API key may do; each role includes the ones after it. */
public enum Role {
  /** Everything, for any tenant ({@code Shardhook-Tenant}), and the tenant view. */
  ADMIN,
  /** Create, read and cancel the key's own tenant's jobs. */
  SUBMIT,
  /** Read the key's own tenant's jobs. */
  READ;

  /** Whether this role may do what {@code needed} may. */
  public boolean covers(Role needed) {
    return ordinal() <= needed.ordinal();
  }
}
