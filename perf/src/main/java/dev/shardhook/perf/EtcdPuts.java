package dev.shardhook.perf;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The etcd side of {@code accept}: one put of a new key per operation through jetcd (etcd's Java
 * client, gRPC), each answered once a quorum has it in its fsynced WAL.
 */
final class EtcdPuts implements ClosedLoop.Operation, AutoCloseable {
  private final Client client;
  private final KV kv;
  private final ByteSequence value;
  private final String prefix;
  private final AtomicLong next = new AtomicLong();

  /**
   * @param value the bytes every put writes (the same document Shardhook gets)
   */
  EtcdPuts(List<URI> endpoints, String value) {
    this.client =
        Client.builder()
            .endpoints(endpoints.stream().map(URI::toString).toArray(String[]::new))
            .build();
    this.kv = client.getKVClient();
    this.value = ByteSequence.from(value, StandardCharsets.UTF_8);
    this.prefix = "perf/" + Long.toString(System.currentTimeMillis(), 36) + "/";
  }

  @Override
  public void run() throws Exception {
    ByteSequence key = ByteSequence.from(prefix + next.getAndIncrement(), StandardCharsets.UTF_8);
    kv.put(key, value).get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    kv.close();
    client.close();
  }
}
