package dev.shardhook.support.auth;

/** What a route asks of its callers. */
public enum Access {
  /** No key: liveness, readiness and status, which load balancers and proxies poll. */
  OPEN(null),
  /** Any valid key. */
  ANY_KEY(Role.READ),
  READ(Role.READ),
  SUBMIT(Role.SUBMIT),
  ADMIN(Role.ADMIN);

  private final Role least;

  Access(Role least) {
    this.least = least;
  }

  /** The least role that passes, or null for {@link #OPEN}. */
  Role least() {
    return least;
  }
}
