package dev.shardhook.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BinaryOutInTest {
  @Test
  void integersSurviveAtEveryBoundary() {
    long[] longs = {
      0,
      1,
      -1,
      63,
      64,
      -64,
      -65,
      127,
      128,
      16_383,
      16_384,
      Integer.MAX_VALUE,
      Integer.MIN_VALUE,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      1_760_000_000_123L
    };
    BinaryOut out = new BinaryOut(0);
    for (long v : longs) {
      out.writeLong(v);
      out.writeInt((int) v);
    }
    BinaryIn in = new BinaryIn(out.toByteArray());
    for (long v : longs) {
      assertThat(in.readLong()).isEqualTo(v);
      assertThat(in.readInt()).isEqualTo((int) v);
    }
    in.expectEnd();
  }

  @Test
  void smallMagnitudesTakeOneByte() {
    BinaryOut out = new BinaryOut(0);
    out.writeInt(-1);
    out.writeLong(63);
    out.writeCount(126);
    assertThat(out.size()).isEqualTo(3);
  }

  @Test
  void doublesAndNullableBoxesKeepTheirBits() {
    double[] doubles = {
      0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L), 1e-300
    };
    BinaryOut out = new BinaryOut(0);
    for (double d : doubles) {
      out.writeDouble(d);
    }
    out.writeNullableDouble(null);
    out.writeNullableInt(null);
    out.writeNullableInt(-5);
    out.writeNullableLong(null);
    out.writeNullableLong(Long.MIN_VALUE);
    BinaryIn in = new BinaryIn(out.toByteArray());
    for (double d : doubles) {
      assertThat(Double.doubleToRawLongBits(in.readDouble()))
          .isEqualTo(Double.doubleToRawLongBits(d));
    }
    assertThat(in.readNullableDouble()).isNull();
    assertThat(in.readNullableInt()).isNull();
    assertThat(in.readNullableInt()).isEqualTo(-5);
    assertThat(in.readNullableLong()).isNull();
    assertThat(in.readNullableLong()).isEqualTo(Long.MIN_VALUE);
    in.expectEnd();
  }

  @Test
  void stringsRoundTripIncludingUnpairedSurrogates() {
    List<String> strings =
        new ArrayList<>(
            Arrays.asList(
                null,
                "",
                "ascii",
                "caf\u00e9",
                "\u2603 snow",
                "\uD83D\uDE00 emoji",
                "lone high \uD800 end",
                "lone low \uDC00",
                "reversed \uDC00\uD800",
                "trailing high \uD83D",
                "\u0000nul",
                "query?a=1",
                "replacement \uFFFD char",
                "\uFFFD\uD800? both fallbacks",
                "x".repeat(126),
                "x".repeat(127),
                "\u00e9".repeat(64),
                "\uD83D\uDE00".repeat(40_000)));
    BinaryOut out = new BinaryOut(0);
    strings.forEach(out::writeString);
    BinaryIn in = new BinaryIn(out.toByteArray());
    for (String s : strings) {
      assertThat(in.readString()).isEqualTo(s);
    }
    in.expectEnd();
  }

  @Test
  void wellFormedStringsAreStandardUtf8() {
    String s = "caf\u00e9 \u2603 \uD83D\uDE00";
    BinaryOut out = new BinaryOut(0);
    out.writeString(s);
    byte[] bytes = out.toByteArray();
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    assertThat(bytes[0]).isEqualTo((byte) (utf8.length + 1));
    assertThat(Arrays.copyOfRange(bytes, 1, bytes.length)).isEqualTo(utf8);
  }

  @Test
  void instantsKeepNanosAndNull() {
    List<Instant> instants =
        Arrays.asList(
            null,
            Instant.EPOCH,
            Instant.MIN,
            Instant.MAX,
            Instant.parse("2030-01-02T03:04:05.123456789Z"),
            Instant.ofEpochSecond(-1, 1));
    BinaryOut out = new BinaryOut(0);
    instants.forEach(out::writeInstant);
    BinaryIn in = new BinaryIn(out.toByteArray());
    for (Instant t : instants) {
      assertThat(in.readInstant()).isEqualTo(t);
    }
    in.expectEnd();
  }

  @Test
  void instantsBeyondInstantsRangeAreMalformedInput() {
    // Found by LogCodecFuzzTest: Instant.ofEpochSecond threw DateTimeException instead.
    for (long second : new long[] {Instant.MAX.getEpochSecond() + 1, Long.MIN_VALUE}) {
      BinaryOut out = new BinaryOut(0);
      out.writeBoolean(true);
      out.writeLong(second);
      out.writeInt(0);
      assertThatThrownBy(() -> new BinaryIn(out.toByteArray()).readInstant())
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("instant second " + second);
    }
    BinaryOut edge = new BinaryOut(0);
    edge.writeInstant(Instant.MAX);
    edge.writeInstant(Instant.MIN);
    BinaryIn in = new BinaryIn(edge.toByteArray());
    assertThat(in.readInstant()).isEqualTo(Instant.MAX);
    assertThat(in.readInstant()).isEqualTo(Instant.MIN);
  }

  @Test
  void mapsKeepOrderNullsAndEmptiness() {
    Map<String, String> ordered = new LinkedHashMap<>();
    ordered.put("Z", "1");
    ordered.put("a", null);
    ordered.put(null, "null key");
    ordered.put("\u00e9", "");
    BinaryOut out = new BinaryOut(0);
    out.writeStringMap(null);
    out.writeStringMap(new HashMap<>());
    out.writeStringMap(ordered);
    BinaryIn in = new BinaryIn(out.toByteArray());
    assertThat(in.readStringMap()).isNull();
    assertThat(in.readStringMap()).isNotNull().isEmpty();
    assertThat(in.readStringMap()).isEqualTo(ordered).containsExactlyEntriesOf(ordered);
    in.expectEnd();
  }

  @Test
  void truncatedOrTrailingInputIsRejected() {
    BinaryOut out = new BinaryOut(0);
    out.writeString("hello");
    out.writeLong(Long.MAX_VALUE);
    byte[] bytes = out.toByteArray();

    BinaryIn truncated = new BinaryIn(bytes, 0, 4);
    assertThatThrownBy(truncated::readString).isInstanceOf(IllegalArgumentException.class);
    BinaryIn shortLong = new BinaryIn(bytes, 0, bytes.length - 1);
    shortLong.readString();
    assertThatThrownBy(shortLong::readLong).isInstanceOf(IllegalArgumentException.class);
    BinaryIn trailing = new BinaryIn(bytes);
    trailing.readString();
    assertThatThrownBy(trailing::expectEnd).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BinaryIn(new byte[] {(byte) 0xFF, 0x7F}).readCount())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BinaryIn(new byte[] {3, (byte) 0xC3, 'x'}).readString())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
