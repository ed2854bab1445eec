package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class EntryBatcherTest {
  static final class NotSent extends RuntimeException {
    NotSent() {
      super("not sent");
    }
  }

  @Test
  void itemsThatWaitPastTheirLimitFailAndAreNeverSent() throws Exception {
    List<List<String>> sent = new CopyOnWriteArrayList<>();
    List<CompletableFuture<List<String>>> replies = new CopyOnWriteArrayList<>();
    try (EntryBatcher<String, String> batcher =
        new EntryBatcher<>(
            "test",
            1,
            1 << 20,
            Duration.ZERO,
            1,
            Duration.ofMillis(300),
            NotSent::new,
            s -> 1,
            items -> {
              sent.add(items);
              CompletableFuture<List<String>> reply = new CompletableFuture<>();
              replies.add(reply);
              return reply;
            })) {
      // The only in-flight slot is taken by "a", whose reply never comes while "b" waits.
      CompletableFuture<List<String>> a = batcher.add(List.of("a"));
      await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
      CompletableFuture<List<String>> b = batcher.add(List.of("b"));

      await().atMost(Duration.ofSeconds(5)).until(b::isDone);
      assertThat(b).isCompletedExceptionally();
      try {
        b.get();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(NotSent.class);
      }

      // The slot frees up: "b" must not go out late, "c" goes out at once.
      replies.get(0).complete(List.of("A"));
      assertThat(a.get()).containsExactly("A");
      CompletableFuture<List<String>> c = batcher.add(List.of("c"));
      await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
      replies.get(1).complete(List.of("C"));
      assertThat(c.get()).containsExactly("C");
      assertThat(sent).containsExactly(List.of("a"), List.of("c"));
    }
  }

  @Test
  void itemsSentInTimeAreAnsweredInOrder() throws Exception {
    try (EntryBatcher<String, String> batcher =
        new EntryBatcher<>(
            "test",
            100,
            1 << 20,
            Duration.ofMillis(20),
            2,
            Duration.ofSeconds(10),
            NotSent::new,
            s -> 1,
            items ->
                CompletableFuture.completedFuture(
                    items.stream().map(String::toUpperCase).toList()))) {
      CompletableFuture<List<String>> x = batcher.add(List.of("x", "y"));
      CompletableFuture<List<String>> z = batcher.add(List.of("z"));
      assertThat(x.get()).containsExactly("X", "Y");
      assertThat(z.get()).containsExactly("Z");
    }
  }

  @Test
  void answeredItemsAreNotHeldUntilTheirWaitRunsOut() throws Exception {
    try (EntryBatcher<Object, String> batcher =
        new EntryBatcher<>(
            "test",
            100,
            1 << 20,
            Duration.ZERO,
            2,
            Duration.ofMinutes(10),
            NotSent::new,
            o -> 1,
            items -> CompletableFuture.completedFuture(items.stream().map(o -> "ok").toList()))) {
      Object item = new byte[1 << 20];
      WeakReference<Object> held = new WeakReference<>(item);
      assertThat(batcher.add(List.of(item)).get()).containsExactly("ok");
      item = null;

      // A timer per item kept every answered item (a job and its body) for the whole wait.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                System.gc();
                return held.get() == null;
              });
    }
  }
}
