package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderingKeyRoutingTest {
  private static final ShardRing RING = ShardRing.of(List.of("shard-0", "shard-1", "shard-2"));

  @Test
  void theInputIsPinnedAndTheDefaultTenantHasAnEmptyPart() {
    assertThat(OrderingKeyRouting.ringInput("default", "k")).isEqualTo("ordering\u0000\u0000k");
    assertThat(OrderingKeyRouting.ringInput("acme", "k")).isEqualTo("ordering\u0000acme\u0000k");
    assertThat(OrderingKeyRouting.shardFor(RING, "acme", "k"))
        .isEqualTo(RING.shardFor("ordering\u0000acme\u0000k"));
  }

  @Test
  void keysSpreadOverTheShardsAndTenantsAreApart() {
    Set<String> shards = new HashSet<>();
    int differ = 0;
    for (int i = 0; i < 100; i++) {
      shards.add(OrderingKeyRouting.shardFor(RING, "default", "key-" + i));
      if (!OrderingKeyRouting.shardFor(RING, "a", "key-" + i)
          .equals(OrderingKeyRouting.shardFor(RING, "b", "key-" + i))) {
        differ++;
      }
    }
    assertThat(shards).hasSize(3);
    assertThat(differ).as("one key of two tenants is two keys").isGreaterThan(30);
  }
}
