package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.store.JobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdmissionTest {
  @TempDir Path dir;

  @Test
  void ticketsHoldRoomUntilReleasedOnceAndANewTermForgetsThem() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      Admission admission = new Admission(store, 10);
      assertThat(admission.room()).isEqualTo(10);

      Admission.Ticket seven = admission.admit(7);
      assertThat(admission.room()).isEqualTo(3);
      seven.release();
      seven.release();
      assertThat(admission.room()).as("a second release changes nothing").isEqualTo(10);

      Admission.Ticket lost = admission.admit(10);
      assertThat(admission.full()).isTrue();
      admission.reset();
      assertThat(admission.room()).isEqualTo(10);
      Admission.Ticket fresh = admission.admit(4);
      lost.release();
      assertThat(admission.room())
          .as("a ticket from before the reset does not free the new term's room")
          .isEqualTo(6);
      fresh.release();
      assertThat(admission.room()).isEqualTo(10);
    }
  }
}
