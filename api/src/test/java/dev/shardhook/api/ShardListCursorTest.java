package dev.shardhook.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.problem.BadRequestException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ShardListCursorTest {

  @Test
  void roundTripsEveryStoredStatusAndTheFilter() {
    for (JobStatus status :
        new JobStatus[] {
          null, JobStatus.PENDING, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED
        }) {
      ShardListCursor cursor =
          new ShardListCursor(new ListFilter(status, "Example.com", 1L, 99L), 42, "job-1");
      assertThat(ShardListCursor.decode(cursor.encode())).isEqualTo(cursor);
      ShardListCursor byQueue =
          new ShardListCursor(new ListFilter(status, null, null, 99L, "billing_2"), 42, "job-1");
      assertThat(ShardListCursor.decode(byQueue.encode())).isEqualTo(byQueue);
    }
  }

  @Test
  void keepsTheBytesNodesWroteBeforeTheMove() {
    // Version 1, time 7, id "x", status byte 2 (FAILED as the node's JobState numbered it), no
    // host, no times: a cursor handed out before the codec moved still reads the same.
    byte[] bytes = {1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 1, 'x', 2, 0, 0, 0};
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    ShardListCursor cursor = ShardListCursor.decode(text);

    assertThat(cursor)
        .isEqualTo(new ShardListCursor(new ListFilter(JobStatus.FAILED, null, null, null), 7, "x"));
    assertThat(cursor.encode()).isEqualTo(text);
  }

  @Test
  void refusesRunningAndGarbage() {
    assertThatThrownBy(
            () -> new ShardListCursor(new ListFilter(JobStatus.RUNNING, null, null, null), 1, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    String good = new ShardListCursor(ListFilter.NONE, 1, "x").encode();
    for (String bad : new String[] {"", "!!", "AQ", good + "A", "x".repeat(3000)}) {
      assertThatThrownBy(() -> ShardListCursor.decode(bad))
          .as(bad)
          .isInstanceOf(BadRequestException.class);
    }
  }
}
