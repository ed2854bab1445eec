package dev.shardhook.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The etcd baseline: a cluster of etcd members on loopback started from Debian's {@code etcd}
 * binary, each with its own data directory (etcd fsyncs its WAL before acknowledging, as Shardhook
 * does), stopped again by PID on close.
 */
final class EtcdCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(2);

  private final Path dir;
  private final List<Process> members = new ArrayList<>();
  private final List<URI> clientUrls = new ArrayList<>();
  private final boolean keepData;
  private final Console console;
  private ShutdownHook hook;
  private boolean failed;
  private boolean closed;

  private EtcdCluster(Path dir, boolean keepData, Console console) {
    this.dir = dir;
    this.keepData = keepData;
    this.console = console;
  }

  /** Starts {@code size} members and waits until every one reports itself healthy. */
  static EtcdCluster start(Path etcd, int size, boolean keepData, Console console)
      throws IOException, InterruptedException {
    EtcdCluster cluster =
        new EtcdCluster(Files.createTempDirectory("shardhook-perf-etcd-"), keepData, console);
    cluster.hook = ShutdownHook.register("etcd", cluster);
    try {
      cluster.launch(etcd, size);
      cluster.awaitHealthy();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.failed = true; // keep the logs
      try {
        cluster.close();
      } catch (IOException | InterruptedException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void launch(Path etcd, int size) throws IOException {
    List<Integer> ports = freePorts(2 * size);
    StringJoiner initial = new StringJoiner(",");
    for (int i = 0; i < size; i++) {
      initial.add("m" + i + "=http://127.0.0.1:" + ports.get(2 * i + 1));
    }
    String token = "shardhook-perf-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    for (int i = 0; i < size; i++) {
      String client = "http://127.0.0.1:" + ports.get(2 * i);
      String peer = "http://127.0.0.1:" + ports.get(2 * i + 1);
      List<String> command =
          List.of(
              etcd.toString(),
              "--name=m" + i,
              "--data-dir=" + dir.resolve("m" + i),
              "--listen-client-urls=" + client,
              "--advertise-client-urls=" + client,
              "--listen-peer-urls=" + peer,
              "--initial-advertise-peer-urls=" + peer,
              "--initial-cluster=" + initial,
              "--initial-cluster-state=new",
              "--initial-cluster-token=" + token,
              "--logger=zap",
              "--log-outputs=stderr",
              "--log-level=warn");
      Path log = dir.resolve("m" + i + ".log");
      Process member =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      members.add(member);
      clientUrls.add(URI.create(client));
      console.say("started etcd member m%d (pid %d): %s, log %s", i, member.pid(), client, log);
    }
  }

  private void awaitHealthy() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      for (int i = 0; i < members.size(); i++) {
        while (!healthy(http, clientUrls.get(i))) {
          if (!members.get(i).isAlive()) {
            throw new IOException(
                "etcd member m"
                    + i
                    + " exited (status "
                    + members.get(i).exitValue()
                    + "); see "
                    + dir.resolve("m" + i + ".log"));
          }
          if (System.nanoTime() > deadline) {
            throw new IOException(
                "etcd is not healthy after " + READY_TIMEOUT.toSeconds() + "s; logs in " + dir);
          }
          Thread.sleep(100);
        }
      }
    }
  }

  private static boolean healthy(HttpClient http, URI client) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(client + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"true\"");
    } catch (IOException e) {
      return false;
    }
  }

  List<URI> clientUrls() {
    return List.copyOf(clientUrls);
  }

  /** PIDs of the members this cluster started. */
  List<Long> pids() {
    return members.stream().map(Process::pid).toList();
  }

  /** Stops every member (SIGTERM by PID, SIGKILL after 2 s) and removes the data unless kept. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    hook.remove();
    for (Process member : members) {
      member.toHandle().destroy();
    }
    // A leader told to stop while its followers stop too keeps trying to hand over leadership for
    // seconds; the data is thrown away, so it gets SIGKILL after a short grace.
    for (Process member : members) {
      if (!LocalProcesses.stop(member.toHandle(), STOP_GRACE)) {
        console.say("etcd pid %d did not stop", member.pid());
      }
    }
    if (keepData || failed) {
      console.say("etcd data and logs kept in %s", dir);
    } else {
      Sandbox.deleteTree(dir);
    }
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
