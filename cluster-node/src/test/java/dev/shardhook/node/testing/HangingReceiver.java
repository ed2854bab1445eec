package dev.shardhook.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A receiver that accepts connections and never answers, holding them until closed. */
public final class HangingReceiver implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  public HangingReceiver() throws IOException {
    socket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .name("hanging-receiver")
        .start(
            () -> {
              while (!socket.isClosed()) {
                try {
                  held.add(socket.accept());
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/dead";
  }

  /** Connections accepted so far. */
  public int accepted() {
    return held.size();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
