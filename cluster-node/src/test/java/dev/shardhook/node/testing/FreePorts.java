package dev.shardhook.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports free right now, for tests that start servers on fixed ports.
 *
 * <p>Ports come from below the kernel's ephemeral range. A port from the ephemeral range (what a
 * bind to port 0 returns) can be taken, between the pick and the server's bind or while a node is
 * down for a restart, as the local port of any outgoing connection: Ratis then fails to bind and
 * the node does not start. Outgoing connections never use a port below that range, and a counter
 * keeps one JVM from handing out the same port twice.
 */
public final class FreePorts {
  private static final int LOWEST = 10_000;
  private static final int ABOVE_HIGHEST = belowEphemeral();
  private static final AtomicInteger NEXT =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(ABOVE_HIGHEST - LOWEST));

  private FreePorts() {}

  /** {@code n} distinct ports, all held open together while they are picked. */
  public static int[] take(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      int tries = 0;
      for (int i = 0; i < n; ) {
        if (++tries > 10_000) {
          throw new IOException("no free port below " + ABOVE_HIGHEST);
        }
        int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), ABOVE_HIGHEST - LOWEST);
        try {
          sockets.add(new ServerSocket(port));
          ports[i++] = port;
        } catch (IOException taken) {
          // in use by someone else: try the next one
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is free either way
        }
      }
    }
  }

  /** The first ephemeral port (Linux's setting; 32768, its default, elsewhere). */
  private static int belowEphemeral() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int first = Integer.parseInt(range.split("\\s+")[0]);
      return first > LOWEST + 1000 ? first : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
