package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryAccountingTest {
  @Test
  void everyAcknowledgedJobDeliveredOnce() {
    DeliveryAccounting a =
        DeliveryAccounting.count(Set.of("a", "b", "c"), Map.of("a", 1, "b", 1, "c", 1));

    assertThat(a).isEqualTo(new DeliveryAccounting(3, 3, 0, 0, 0));
  }

  @Test
  void anAcknowledgedJobNeverDeliveredIsLost() {
    DeliveryAccounting a = DeliveryAccounting.count(Set.of("a", "b", "c"), Map.of("a", 1, "c", 1));

    assertThat(a.lost()).isEqualTo(1);
    assertThat(a.delivered()).isEqualTo(2);
  }

  @Test
  void everyReceiptBeyondTheFirstIsADuplicate() {
    DeliveryAccounting a = DeliveryAccounting.count(Set.of("a", "b"), Map.of("a", 3, "b", 2));

    assertThat(a.duplicates()).isEqualTo(3);
    assertThat(a.lost()).isZero();
    assertThat(a.delivered()).isEqualTo(2);
  }

  @Test
  void aDeliveredJobThatWasNeverAcknowledgedIsNeitherLostNorDuplicated() {
    // e.g. accepted by the old leader, but its answer was lost in the kill and the client gave up
    DeliveryAccounting a = DeliveryAccounting.count(Set.of("a"), Map.of("a", 1, "x", 1));

    assertThat(a).isEqualTo(new DeliveryAccounting(1, 1, 0, 0, 1));
  }

  @Test
  void duplicatesOfUnacknowledgedJobsCountToo() {
    DeliveryAccounting a = DeliveryAccounting.count(Set.of(), Map.of("x", 2));

    assertThat(a.duplicates()).isEqualTo(1);
    assertThat(a.unacknowledged()).isEqualTo(1);
  }

  @Test
  void nothingAtAll() {
    assertThat(DeliveryAccounting.count(Set.of(), Map.of()))
        .isEqualTo(new DeliveryAccounting(0, 0, 0, 0, 0));
  }
}
