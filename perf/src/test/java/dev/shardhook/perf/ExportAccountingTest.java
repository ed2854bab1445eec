package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportAccountingTest {
  private static ExportAccounting.Row row(String id) {
    return new ExportAccounting.Row(id, "SUCCEEDED", 1);
  }

  @Test
  void everyJobOnceIsExactlyOnce() {
    ExportAccounting a = ExportAccounting.count(Set.of("a", "b"), List.of(row("a"), row("b")));

    assertThat(a).isEqualTo(new ExportAccounting(2, 2, 2, 0, 0, 0, 0, 0, 2));
    assertThat(a.exactlyOnce()).isTrue();
  }

  @Test
  void countsMissingRepeatedUnacknowledgedUnfinishedAndAttemptlessRows() {
    ExportAccounting a =
        ExportAccounting.count(
            Set.of("a", "b", "c"),
            List.of(
                row("a"),
                row("a"),
                new ExportAccounting.Row("b", "FAILED", 3),
                new ExportAccounting.Row("x", "SUCCEEDED", 0)));

    assertThat(a.acknowledged()).isEqualTo(3);
    assertThat(a.rows()).isEqualTo(4);
    assertThat(a.exported()).isEqualTo(2);
    assertThat(a.missing()).isEqualTo(1); // c
    assertThat(a.duplicates()).isEqualTo(1); // a twice
    assertThat(a.unacknowledged()).isEqualTo(1); // x
    assertThat(a.notSucceeded()).isEqualTo(1);
    assertThat(a.withoutAttempts()).isEqualTo(1);
    assertThat(a.attemptRows()).isEqualTo(5);
    assertThat(a.exactlyOnce()).isFalse();
  }

  @Test
  void aMissingJobAloneBreaksExactlyOnce() {
    assertThat(ExportAccounting.count(Set.of("a", "b"), List.of(row("a"))).exactlyOnce()).isFalse();
    assertThat(ExportAccounting.count(Set.of(), List.of()).exactlyOnce()).isTrue();
  }
}
