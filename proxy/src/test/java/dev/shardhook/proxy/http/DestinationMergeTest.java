package dev.shardhook.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.api.Destination;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationMergeTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void oneEntryPerHostWithTheWorstStateSumsAndExtremes() {
    Map<String, List<Destination>> byShard = new LinkedHashMap<>();
    byShard.put(
        "shard-0",
        List.of(
            entry("a:80", Destination.HEALTHY, 20, 3, 1, 1.0, 10, 20, null, null),
            entry("b:443", Destination.DEGRADED, 8, 1, 0, 0.8, 30, 90, T, null)));
    byShard.put(
        "shard-1",
        List.of(
            entry("a:80", Destination.OPEN, 12, 2, 5, 0.5, 15, 40, T.plusSeconds(5), null),
            entry("c:8080", Destination.DISABLED, 1, 0, 9, 0.0, 1, 1, T, T.plusSeconds(60))));

    List<Destination> merged = DestinationsAcrossShards.merge(byShard);

    assertThat(merged).extracting(Destination::host).containsExactly("a:80", "b:443", "c:8080");
    Destination a = merged.getFirst();
    assertThat(a.state()).isEqualTo(Destination.OPEN);
    assertThat(a.concurrencyLimit()).isEqualTo(12);
    assertThat(a.running()).isEqualTo(5);
    assertThat(a.queued()).isEqualTo(6);
    assertThat(a.successRate()).isEqualTo(0.5);
    assertThat(a.latencyMs()).isEqualTo(new Destination.Latency(15, 40));
    assertThat(a.failingSince()).isEqualTo(T.plusSeconds(5));
    assertThat(a.shards()).containsOnlyKeys("shard-0", "shard-1");
    assertThat(a.breaker()).isNull();
    assertThat(merged.get(1).shards()).containsOnlyKeys("shard-0");
    Destination c = merged.get(2);
    assertThat(c.state()).isEqualTo(Destination.DISABLED);
    assertThat(c.disabledAt()).isEqualTo(T.plusSeconds(60));
    assertThat(c.disabledReason()).isEqualTo("why");
  }

  private static Destination entry(
      String host,
      String state,
      int limit,
      int running,
      int queued,
      double rate,
      long p50,
      long p95,
      Instant failing,
      Instant disabled) {
    return new Destination(
        host,
        state,
        "closed",
        limit,
        64,
        running,
        queued,
        rate,
        new Destination.Latency(p50, p95),
        failing,
        disabled,
        disabled == null ? null : "why",
        null);
  }
}
