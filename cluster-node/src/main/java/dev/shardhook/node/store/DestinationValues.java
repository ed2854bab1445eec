package dev.shardhook.node.store;

import dev.shardhook.node.codec.BinaryIn;
import dev.shardhook.node.codec.BinaryOut;
import dev.shardhook.node.job.DisabledDestination;

/**
 * The byte format of values in the {@code destinations} column family (key: {@code host:port}):
 * version 1, then the time it was disabled and the reason.
 */
final class DestinationValues {
  static final int VERSION = 1;

  private DestinationValues() {}

  static byte[] encode(DisabledDestination d) {
    BinaryOut out = new BinaryOut(64);
    out.writeByte(VERSION);
    out.writeLong(d.atMs());
    out.writeString(d.reason());
    return out.toByteArray();
  }

  static DisabledDestination decode(String host, byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != VERSION) {
      throw new StoreException("unknown destination format", null);
    }
    try {
      BinaryIn in = new BinaryIn(bytes, 1, bytes.length - 1);
      DisabledDestination d = new DisabledDestination(host, in.readLong(), in.readString());
      in.expectEnd();
      return d;
    } catch (RuntimeException e) {
      throw new StoreException("undecodable destination " + host, e);
    }
  }
}
