package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * XXH64 against the reference implementation's own sanity vectors: Cyan4973/xxHash, {@code
 * cli/xsum_sanity_check.c}, table {@code XSUM_XXH64_testdata}, over the buffer that {@code
 * XSUM_fillTestBuffer} fills. The UTF-8 strings were cross-checked with {@code xxhsum -H64} 0.8.1.
 */
class XxHash64Test {
  private static final long PRIME32 = 2654435761L;

  @ParameterizedTest(name = "len {0}, seed {1}")
  @CsvSource({
    "0, 0, EF46DB3751D8E999",
    "0, 2654435761, AC75FDA2929B17EF",
    "1, 0, E934A84ADB052768",
    "1, 2654435761, 5014607643A9B4C3",
    "4, 0, 9136A0DCA57457EE",
    "14, 0, 8282DCC4994E35C8",
    "14, 2654435761, C3BD6BF63DEB6DF0",
    "222, 0, B641AE8CB691C174",
    "222, 2654435761, 20CB8AB7AE10C14A"
  })
  void matchesTheReferenceSanityVectors(int length, long seed, String expectedHex) {
    byte[] buffer = Arrays.copyOf(sanityBuffer(), length);

    long hash = XxHash64.hash(buffer, seed);

    assertThat(hash).isEqualTo(Long.parseUnsignedLong(expectedHex, 16));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({
    "'', ef46db3751d8e999",
    "a, d24ec4f1a98c6e5b",
    "abc, 44bc2cf5ad770999",
    // 39 bytes: one 32-byte stripe, then the 8-, 4- and 1-byte tails.
    "Nobody inspects the spammish repetition, fbcea83c8a378bf1"
  })
  void hashesUtf8StringsWithSeedZero(String input, String expectedHex) {
    assertThat(XxHash64.hashUtf8(input)).isEqualTo(Long.parseUnsignedLong(expectedHex, 16));
    assertThat(XxHash64.hash(input.getBytes(StandardCharsets.UTF_8), 0))
        .isEqualTo(XxHash64.hashUtf8(input));
  }

  /** {@code XSUM_fillTestBuffer}: the top byte of a generator multiplied by PRIME64 each step. */
  private static byte[] sanityBuffer() {
    byte[] buffer = new byte[222];
    long generator = PRIME32;
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (byte) (generator >>> 56);
      generator *= 0x9E3779B185EBCA8DL; // 11400714785074694797, not XXH64's P1
    }
    return buffer;
  }
}
