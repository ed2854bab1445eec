package dev.shardhook.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelCallsTest {
  @Test
  void keepsEachOutcomeWithItsKeyInInputOrder() {
    Map<String, Integer> inputs = new LinkedHashMap<>();
    inputs.put("c", 3);
    inputs.put("a", 0);
    inputs.put("b", 2);

    Map<String, ParallelCalls.Outcome<Integer>> outcomes =
        ParallelCalls.run(
            inputs,
            2,
            (k, v) -> {
              if (v == 0) {
                throw new IllegalStateException("no " + k);
              }
              return v * 10;
            });

    assertThat(outcomes.keySet()).containsExactly("c", "a", "b");
    assertThat(outcomes.get("c").value()).isEqualTo(30);
    assertThat(outcomes.get("b").value()).isEqualTo(20);
    assertThat(outcomes.get("a").failure()).hasMessage("no a");
  }

  @Test
  void runsNoMoreCallsAtOnceThanAllowed() {
    Map<Integer, Integer> inputs = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      inputs.put(i, i);
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();

    ParallelCalls.run(
        inputs,
        3,
        (k, v) -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          Thread.yield();
          running.decrementAndGet();
          return v;
        });

    assertThat(most.get()).isBetween(1, 3);
  }
}
