package dev.shardhook.node.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * Resolves webhook hosts at delivery time and drops internal addresses, so a name that passed the
 * submit-time check cannot be rebound to an internal host later. Only used when private targets are
 * refused.
 */
final class GuardedDns implements Dns {
  private final Dns delegate;

  GuardedDns(Dns delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> literal;
    try {
      literal = NumericHost.readings(hostname);
    } catch (IllegalArgumentException e) {
      throw new UnknownHostException(e.getMessage());
    }
    if (!literal.isEmpty()) {
      // Numeric hosts are read the way curl and browsers read them, never sent to a resolver.
      for (InetAddress a : literal) {
        Optional<String> why = InternalRanges.reason(a);
        if (why.isPresent()) {
          throw new RefusedTargetException(
              hostname + " is " + a.getHostAddress() + " (" + why.get() + ")");
        }
      }
      return List.of(literal.get(0));
    }
    if (TargetGuard.isLocalhostName(hostname)) {
      throw new RefusedTargetException(hostname + " is a loopback name");
    }
    List<InetAddress> allowed = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (InetAddress a : delegate.lookup(hostname)) {
      Optional<String> why = InternalRanges.reason(a);
      if (why.isEmpty()) {
        allowed.add(a);
      } else {
        refused.add(a.getHostAddress() + " (" + why.get() + ")");
      }
    }
    if (allowed.isEmpty() && refused.isEmpty()) {
      throw new UnknownHostException(hostname);
    }
    if (allowed.isEmpty()) {
      throw new RefusedTargetException(
          hostname + " resolves only to " + String.join(", ", refused));
    }
    return allowed;
  }
}
