package dev.shardhook.node.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.problem.MisdirectedRequestException;
import dev.shardhook.api.routing.OrderingKeyRouting;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.support.InvalidConfigException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardOwnershipTest {
  private static final List<List<String>> TWO_EPOCHS =
      List.of(List.of("shard-0"), List.of("shard-0", "shard-1"));
  private static final ShardRing NEWEST = ShardRing.of(List.of("shard-0", "shard-1"));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  private final ShardOwnership zero = ShardOwnership.of("shard-0", TWO_EPOCHS);
  private final ShardOwnership one = ShardOwnership.of("shard-1", TWO_EPOCHS);

  @Test
  void anIdMovedToTheNewShardByEpoch2IsOwnedByTheOldShardToo() {
    String moved = id(i -> NEWEST.shardFor(i).equals("shard-1"));

    assertThat(one.owns(moved)).isTrue();
    assertThat(zero.owns(moved)).as("epoch 1 placed it on shard-0").isTrue();
    assertThat(zero.newestOwner(moved)).isEqualTo("shard-1");
  }

  @Test
  void anIdEveryEpochPlacesOnShard0IsNotShard1s() {
    String stays = id(i -> NEWEST.shardFor(i).equals("shard-0"));

    assertThat(zero.owns(stays)).isTrue();
    assertThat(one.owns(stays)).isFalse();
    assertThatThrownBy(() -> one.check(stays))
        .isInstanceOf(MisdirectedRequestException.class)
        .hasMessage(
            "job id '"
                + stays
                + "' does not belong to this shard 'shard-1'; shard 'shard-0' owns it: send it"
                + " through a proxy, or to that shard's nodes")
        .satisfies(e -> assertThat(((MisdirectedRequestException) e).status()).isEqualTo(421));
  }

  @Test
  void anOrderedJobBelongsWhereItsTenantsKeyLandsWhateverItsId() {
    String key = null;
    for (int i = 0; key == null; i++) {
      String k = "customer-" + i;
      if (OrderingKeyRouting.shardFor(NEWEST, "acme", k).equals("shard-1")) {
        key = k;
      }
    }
    String moved = key;

    assertThat(one.ownsOrderingKey("acme", moved)).isTrue();
    assertThat(zero.ownsOrderingKey("acme", moved)).as("epoch 1 placed it on shard-0").isTrue();
    String stays = id(i -> NEWEST.shardFor(i).equals("shard-0"));
    one.checkOrderingKey(stays, "acme", moved);
    assertThatThrownBy(
            () ->
                ShardOwnership.of("shard-1", List.of(List.of("shard-0", "shard-1")))
                    .checkOrderingKey("x", "acme", otherKey("shard-0")))
        .isInstanceOf(MisdirectedRequestException.class);
  }

  private static String otherKey(String shard) {
    for (int i = 0; ; i++) {
      if (OrderingKeyRouting.shardFor(NEWEST, "acme", "k" + i).equals(shard)) {
        return "k" + i;
      }
    }
  }

  @Test
  void freshIdsLandOnThisShardUnderTheNewestRing() {
    for (int i = 0; i < 200; i++) {
      assertThat(NEWEST.shardFor(zero.freshId(CLOCK))).isEqualTo("shard-0");
      assertThat(NEWEST.shardFor(one.freshId(CLOCK))).isEqualTo("shard-1");
    }
  }

  @Test
  void withoutAMapTheShardOwnsEveryId() {
    ShardOwnership sole = ShardOwnership.sole("shard-0");

    assertThat(IntStream.range(0, 1000).mapToObj(i -> "job-" + i)).allMatch(sole::owns);
  }

  @Test
  void aMapThatDoesNotListThisShardIsRefused() {
    assertThatThrownBy(() -> ShardOwnership.of("shard-9", TWO_EPOCHS))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'shard-9' is not in the map (its shards: shard-0, shard-1)");
  }

  private static String id(Predicate<String> wanted) {
    return IntStream.range(0, 10_000)
        .mapToObj(i -> "job-" + i)
        .filter(wanted)
        .findFirst()
        .orElseThrow();
  }
}
