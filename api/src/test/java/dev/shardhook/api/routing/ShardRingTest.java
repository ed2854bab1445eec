package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardRingTest {
  private static final List<String> THREE = List.of("shard-0", "shard-1", "shard-2");
  private static final List<String> FOUR = List.of("shard-0", "shard-1", "shard-2", "shard-3");

  /**
   * The routing contract: proxies and SDKs of every version must agree on these. If this fails, the
   * hash, the label format, the seed or the number of points changed, and existing jobs would be
   * looked for on the wrong shard.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "job-1, shard-0, shard-0",
    "job-2, shard-1, shard-1",
    "job-3, shard-1, shard-1",
    "order-1042, shard-0, shard-0",
    "idk-0123456789abcdef0123456789abcdef, shard-0, shard-2",
    "0190a3f4-7c1e-7b6a-9d3e-5f2a1b4c8d7e, shard-0, shard-2",
    "Z, shard-0, shard-2",
    "x:y.z-1_2, shard-0, shard-2"
  })
  void placesIdsAsTheContractSays(String id, String onTwoShards, String onThreeShards) {
    assertThat(ShardRing.of(List.of("shard-0", "shard-1")).shardFor(id)).isEqualTo(onTwoShards);
    assertThat(ShardRing.of(THREE).shardFor(id)).isEqualTo(onThreeShards);
  }

  @Test
  void pinsTheVirtualNodeLabelsHash() {
    assertThat(ShardRing.VIRTUAL_NODES).isEqualTo(1000);
    assertThat(XxHash64.hashUtf8("shard-0#0")).isEqualTo(0xfb4af3c85fff4892L);
  }

  @Test
  void spreadsRandomIdsEvenlyOverThreeShards() {
    ShardRing ring = ShardRing.of(THREE);
    Map<String, Integer> counts = new HashMap<>();

    for (String id : randomIds(30_000, 7)) {
      counts.merge(ring.shardFor(id), 1, Integer::sum);
    }

    assertThat(counts).containsOnlyKeys(THREE);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(9_000, 11_000));
  }

  @Test
  void addingAShardMovesAQuarterOfTheIdsAndOnlyOntoTheNewShard() {
    ShardRing before = ShardRing.of(THREE);
    ShardRing after = ShardRing.of(FOUR);
    int moved = 0;
    List<String> ids = randomIds(30_000, 11);

    for (String id : ids) {
      String from = before.shardFor(id);
      String to = after.shardFor(id);
      if (!from.equals(to)) {
        moved++;
        assertThat(to).as("new home of %s (was %s)", id, from).isEqualTo("shard-3");
      }
    }

    assertThat(moved).isBetween(6_000, 9_000);
  }

  @Test
  void placementDoesNotDependOnTheOrderShardsAreListedIn() {
    ShardRing listed = ShardRing.of(THREE);
    ShardRing reversed = ShardRing.of(List.of("shard-2", "shard-1", "shard-0"));

    for (String id : randomIds(2_000, 3)) {
      assertThat(reversed.shardFor(id)).isEqualTo(listed.shardFor(id));
    }
    assertThat(reversed.shards()).containsExactly("shard-2", "shard-1", "shard-0");
  }

  @Test
  void oneShardOwnsEverything() {
    ShardRing ring = ShardRing.of(List.of("only"));

    assertThat(randomIds(100, 5)).allSatisfy(id -> assertThat(ring.shardFor(id)).isEqualTo("only"));
  }

  @Test
  void refusesEmptyAndDuplicateShardLists() {
    assertThatThrownBy(() -> ShardRing.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one shard");
    assertThatThrownBy(() -> ShardRing.of(List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' is listed twice");
  }

  private static List<String> randomIds(int n, long seed) {
    Random random = new Random(seed);
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
    }
    return ids;
  }
}
