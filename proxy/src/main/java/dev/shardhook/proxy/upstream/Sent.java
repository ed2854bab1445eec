package dev.shardhook.proxy.upstream;

import java.io.IOException;

/**
 * What one send to one node gave: the node's answer or the I/O failure, and how long it took.
 *
 * @param answer the answer read whole, or null when {@code failure} is set
 * @param failure why no answer came, or null
 */
record Sent(NodeAnswer answer, IOException failure, long tookNanos) {
  static Sent answered(NodeAnswer answer, long tookNanos) {
    return new Sent(answer, null, tookNanos);
  }

  static Sent failed(IOException failure, long tookNanos) {
    return new Sent(null, failure, tookNanos);
  }
}
