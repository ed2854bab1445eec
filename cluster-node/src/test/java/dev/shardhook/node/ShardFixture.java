package dev.shardhook.node;

import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import org.junit.jupiter.api.AutoClose;

/**
 * What the tests against a real three-node shard share: the shard (started by each test or by the
 * class's {@code @BeforeAll}), a recording receiver for its webhooks and an HTTP client. All three
 * close when JUnit drops the test instance: after each test, or after the last one of a {@code
 * PER_CLASS} test class.
 */
abstract class ShardFixture {
  final RecordingReceiver receiver = RecordingReceiver.start();
  final NodeClient client = new NodeClient();
  TestShard shard;

  // One field so that the order is ours: the shard stops before the receiver it delivers to.
  @AutoClose
  private final AutoCloseable closeAll =
      () -> {
        client.close();
        if (shard != null) {
          shard.close();
        }
        receiver.close();
      };

  String leaderUrl() {
    return shard.url(shard.awaitLeader());
  }
}
