package dev.shardhook.proxy.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.JobStatus;
import dev.shardhook.api.ListFilter;
import dev.shardhook.api.ShardListCursor;
import dev.shardhook.api.problem.BadRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergedCursorTest {

  @Test
  void roundTripsFilterAndPlaces() {
    Map<String, ShardPlace> places = new LinkedHashMap<>();
    places.put("shard-0", new ShardPlace.At(1_700_000_000_123L, "job-1"));
    places.put("shard-1", ShardPlace.DONE);
    places.put("shard-2", ShardPlace.TOP);
    MergedCursor cursor =
        new MergedCursor(new ListFilter(JobStatus.FAILED, "Example.COM", 5L, null), places);

    MergedCursor back = MergedCursor.decode(cursor.encode());

    assertThat(back).isEqualTo(cursor);
    assertThat(back.filter().host()).isEqualTo("example.com");
    assertThat(back.place("shard-9")).isEqualTo(ShardPlace.TOP);
  }

  @Test
  void refusesANodeCursorAndGarbage() {
    String nodeCursor = new ShardListCursor(ListFilter.NONE, 5, "x").encode();
    String proxyCursor = new MergedCursor(ListFilter.NONE, Map.of("s", ShardPlace.DONE)).encode();
    for (String bad :
        new String[] {
          nodeCursor,
          "",
          "!!!",
          "AAAA",
          proxyCursor + "A",
          proxyCursor.substring(2),
          "x".repeat(70_000)
        }) {
      assertThatThrownBy(() -> MergedCursor.decode(bad))
          .as(bad)
          .isInstanceOf(BadRequestException.class);
    }
  }
}
