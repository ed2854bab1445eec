package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose Raft port is taken fails to start with an exception; the JVM goes on. */
class RaftPortTakenTest {
  @TempDir Path dir;

  @Test
  void startFailsWithAnExceptionAndTheDataDirCanBeOpenedAgain() throws IOException {
    int[] ports = FreePorts.take(4);
    NodeConfig config =
        NodeConfig.builder()
            .insecureNoAuth(true)
            .nodeId("a")
            .shardId("shard-p")
            .peers(
                "a=127.0.0.1:" + ports[0] + ",b=127.0.0.1:" + ports[1] + ",c=127.0.0.1:" + ports[2])
            .httpHost("127.0.0.1")
            .httpPort(ports[3])
            .dataDir(dir.resolve("a"))
            .history(HistoryConfig.off())
            .build();

    try (ServerSocket taken = new ServerSocket(ports[0], 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> ShardNode.start(config))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Raft could not listen on 127.0.0.1:" + ports[0]);
    }

    // The failed start closed what it had opened (RocksDB's lock included).
    try (ShardNode node = ShardNode.start(config)) {
      assertThat(node.httpPort()).isEqualTo(ports[3]);
    }
  }
}
