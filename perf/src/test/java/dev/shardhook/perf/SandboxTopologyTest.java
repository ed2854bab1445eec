package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class SandboxTopologyTest {
  private static final String WITH_PROXY =
      """
      {"entry": "http://127.0.0.1:8080",
       "proxies": [{"id": "proxy-0", "url": "http://127.0.0.1:8080", "pid": 11}],
       "shards": [
        {"id": "shard-0", "nodes": [
          {"id": "shard-0-a", "url": "http://127.0.0.1:8100", "pid": 1240},
          {"id": "shard-0-b", "url": "http://127.0.0.1:8101", "pid": null}]},
        {"id": "shard-1", "nodes": [
          {"id": "shard-1-a", "url": "http://127.0.0.1:8103", "pid": 1250}]}]}
      """;

  @Test
  void readsEntryProxiesShardsNodesAndPids() throws IOException {
    SandboxTopology topology = SandboxTopology.parse(WITH_PROXY);

    assertThat(topology.entry()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(topology.proxies()).extracting(SandboxTopology.Process::pid).containsExactly(11L);
    assertThat(topology.shards())
        .extracting(SandboxTopology.Shard::id)
        .containsExactly("shard-0", "shard-1");
    assertThat(topology.node("shard-0-a").orElseThrow().pid()).isEqualTo(1240L);
    assertThat(topology.node("shard-0-b").orElseThrow().pid()).isNull();
    assertThat(topology.shard("shard-1").orElseThrow().nodes()).hasSize(1);
    assertThat(topology.node("shard-9-z")).isEmpty();
  }

  @Test
  void theApiKeyIsTheFirstTenantsAndNoneWithoutKeys() throws IOException {
    SandboxTopology keyed =
        SandboxTopology.parse(
            WITH_PROXY.replace(
                "\"proxies\"",
                "\"adminKey\": \"shk_admin\", \"apiKeys\": {\"b\": \"shk_b\", \"a\": \"shk_a\"},"
                    + " \"proxies\""));

    assertThat(keyed.apiKey()).isEqualTo("shk_b");
    assertThat(SandboxTopology.parse(WITH_PROXY).apiKey()).isNull();
  }

  @Test
  void withProxiesClientsUseTheEntryOnly() throws IOException {
    assertThat(SandboxTopology.parse(WITH_PROXY).entries())
        .containsExactly(URI.create("http://127.0.0.1:8080"));
  }

  @Test
  void withoutProxiesEveryNodeIsAnEntryTheEntryFirst() throws IOException {
    SandboxTopology topology =
        SandboxTopology.parse(
            """
            {"entry": "http://127.0.0.1:8080", "proxies": [],
             "shards": [{"id": "shard-0", "nodes": [
               {"id": "shard-0-a", "url": "http://127.0.0.1:8080", "pid": 1},
               {"id": "shard-0-b", "url": "http://127.0.0.1:8101", "pid": 2}]}]}
            """);

    assertThat(topology.entries())
        .containsExactly(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8101"));
  }

  @Test
  void refusesADocumentWithoutShards() {
    assertThatThrownBy(() -> SandboxTopology.parse("{\"entry\":\"http://x\"}"))
        .isInstanceOf(IOException.class);
  }
}
