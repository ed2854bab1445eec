package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchChunksTest {
  private static byte[] item(int size) {
    return "x".repeat(size).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void splitsByCount() {
    List<BatchChunks.Chunk> chunks =
        BatchChunks.split(Collections.nCopies(2500, item(1)), 1000, Integer.MAX_VALUE);
    assertThat(chunks)
        .extracting(BatchChunks.Chunk::from, BatchChunks.Chunk::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 1000),
            org.assertj.core.groups.Tuple.tuple(1000, 2000),
            org.assertj.core.groups.Tuple.tuple(2000, 2500));
  }

  @Test
  void splitsBySizeCountingBracketsAndCommas() {
    // [a,b] with 4-byte items is 2 + 4 + 1 + 4 = 11 bytes.
    List<BatchChunks.Chunk> chunks = BatchChunks.split(Collections.nCopies(3, item(4)), 10, 11);
    assertThat(chunks).extracting(c -> c.to() - c.from()).containsExactly(2, 1);
    assertThat(new String(chunks.get(0).body(), StandardCharsets.US_ASCII))
        .isEqualTo("[xxxx,xxxx]");
  }

  @Test
  void anOversizedItemGoesAlone() {
    List<BatchChunks.Chunk> chunks = BatchChunks.split(List.of(item(1), item(50), item(1)), 10, 20);
    assertThat(chunks).extracting(c -> c.to() - c.from()).containsExactly(1, 1, 1);
  }

  @Test
  void nothingToSplit() {
    assertThat(BatchChunks.split(List.of())).isEmpty();
  }
}
