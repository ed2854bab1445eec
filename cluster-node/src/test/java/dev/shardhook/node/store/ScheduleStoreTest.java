package dev.shardhook.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.job.ScheduleRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedules column family: by id, all, and one tenant's page after a cursor. */
class ScheduleStoreTest {
  @TempDir Path dir;

  private static ScheduleRecord schedule(String id) {
    return new ScheduleRecord(
        id, "* * * * *", "unix", "UTC", "{}", "fp", null, "fireOnce", false, 1, null, 2L, 0, 0);
  }

  private static String sid(int n) {
    return "sch_" + String.format("%032x", n);
  }

  @Test
  void eachTenantListsItsOwnSchedulesPageByPage() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      try (StoreBatch batch = store.batch()) {
        for (int i = 0; i < 5; i++) {
          batch.putSchedule(schedule(sid(i)));
          batch.putSchedule(schedule("acme/" + sid(i)));
          // A tenant whose name looks like a schedule id must not leak into the default's list.
          batch.putSchedule(schedule("sch_z/" + sid(i)));
        }
        batch.commit();
      }
      assertThat(store.schedules()).hasSize(15);
      assertThat(store.schedule("acme/" + sid(3))).isPresent();

      List<ScheduleRecord> first = store.schedulesOf("default", null, 3);
      assertThat(first).extracting(ScheduleRecord::id).containsExactly(sid(0), sid(1), sid(2));
      assertThat(store.schedulesOf("default", sid(2), 3))
          .extracting(ScheduleRecord::id)
          .containsExactly(sid(3), sid(4));
      assertThat(store.schedulesOf("acme", "acme/" + sid(3), 10))
          .extracting(ScheduleRecord::id)
          .containsExactly("acme/" + sid(4));
      assertThat(store.schedulesOf("other", null, 10)).isEmpty();

      try (StoreBatch batch = store.batch()) {
        batch.deleteSchedule(sid(0));
        batch.commit();
      }
      assertThat(store.schedule(sid(0))).isEmpty();
    }
  }
}
