package dev.shardhook.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.function.Function;

/**
 * A RocksDB value may be cut short or damaged on disk: decoding any bytes fails only with {@link
 * StoreException} caused by the reader's malformed-input {@link IllegalArgumentException}, and
 * whatever decodes encodes back to the same value. Seeds: {@code
 * src/test/resources/dev/shardhook/node/store/StoredValueCodecFuzzTestInputs}.
 */
class StoredValueCodecFuzzTest {
  @FuzzTest(maxDuration = "12s")
  void storedValuesDecodeOrFailCleanly(byte[] bytes) {
    StoredJob job = decoded(bytes, StoredValueCodec::decodeJob);
    if (job != null) {
      assertThat(StoredValueCodec.decodeJob(StoredValueCodec.encode(job))).isEqualTo(job);
    }
    IdempotencyRecord key = decoded(bytes, StoredValueCodec::decodeIdempotency);
    if (key != null) {
      assertThat(StoredValueCodec.decodeIdempotency(StoredValueCodec.encode(key))).isEqualTo(key);
    }
  }

  /** The decoded value, or null when the codec refused the bytes as documented. */
  private static <T> T decoded(byte[] bytes, Function<byte[], T> decoder) {
    try {
      return decoder.apply(bytes);
    } catch (StoreException undecodable) {
      // The codec wraps every RuntimeException; only the reader's malformed-input one is expected,
      // anything else (an index out of bounds, a DateTimeException) is a bug the wrap would hide.
      if (undecodable.getCause() != null) {
        assertThat(undecodable.getCause()).isExactlyInstanceOf(IllegalArgumentException.class);
      }
      return null;
    }
  }
}
