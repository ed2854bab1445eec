package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperationIdsTest {
  @Test
  void oneTenantsKeyAlwaysNamesOneOperationAndAnotherTenantsAnother() {
    String id = OperationIds.fromIdempotencyKey("shop", "sweep-1");

    assertThat(id).matches("op_[0-9a-f]{32}");
    assertThat(OperationIds.isValid(id)).isTrue();
    assertThat(OperationIds.fromIdempotencyKey("shop", "sweep-1")).isEqualTo(id);
    assertThat(OperationIds.fromIdempotencyKey("other", "sweep-1")).isNotEqualTo(id);
    assertThat(OperationIds.fromIdempotencyKey("shop", "sweep-2")).isNotEqualTo(id);
    // Never a job's key-derived id: the two namespaces do not meet.
    assertThat(id.substring(3))
        .isNotEqualTo(JobIds.fromIdempotencyKey("shop", "sweep-1").substring(4));
  }

  @Test
  void onlyTheDerivedFormIsValid() {
    assertThat(OperationIds.isValid(null)).isFalse();
    assertThat(OperationIds.isValid("op_" + "A".repeat(32))).isFalse();
    assertThat(OperationIds.isValid("op_" + "a".repeat(31))).isFalse();
    assertThat(OperationIds.isValid("job-1")).isFalse();
    assertThat(OperationIds.newKey()).isNotEqualTo(OperationIds.newKey());
  }
}
