package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultLineTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void writesTheAcceptShapeInOrderOnOneLine() throws Exception {
    String json =
        ResultLine.of("accept")
            .put("opsPerSec", 1234.5678, 1)
            .put("p50Ms", 3.2109, 3)
            .put("p99Ms", 11.0, 3)
            .put("errors", 0)
            .toJson();

    assertThat(json)
        .isEqualTo(
            "{\"scenario\":\"accept\",\"opsPerSec\":1234.6,\"p50Ms\":3.211,\"p99Ms\":11,\"errors\":0}");
    JsonNode node = MAPPER.readTree(json);
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("scenario", "opsPerSec", "p50Ms", "p99Ms", "errors");
  }

  @Test
  void writesNullForNumbersThatJsonCannotHold() throws Exception {
    String json =
        ResultLine.of("deliver")
            .put("seconds", Double.NaN, 3)
            .put("bound", Double.POSITIVE_INFINITY, 1)
            .toJson();

    JsonNode node = MAPPER.readTree(json);
    assertThat(node.get("seconds").isNull()).isTrue();
    assertThat(node.get("bound").isNull()).isTrue();
  }

  @Test
  void roundsHalfUpAndKeepsLargeNumbersPlain() {
    String json = ResultLine.of("x").put("a", 0.0005, 3).put("b", 2_500_000.0, 1).toJson();

    assertThat(json).isEqualTo("{\"scenario\":\"x\",\"a\":0.001,\"b\":2500000}");
  }

  @Test
  void quotesStrings() {
    assertThat(ResultLine.of("x").put("note", "a \"b\"\n").toJson())
        .isEqualTo("{\"scenario\":\"x\",\"note\":\"a \\\"b\\\"\\n\"}");
  }

  @Test
  void nestsObjectsArraysAndNull() throws Exception {
    String json =
        ResultLine.of("x")
            .put("inner", ResultLine.object().put("a", 1).put("ok", true))
            .put("none", (ResultLine) null)
            .putObjects("list", List.of(ResultLine.object().put("n", 1), ResultLine.object()))
            .putNumbers("xs", List.of(1.25, Double.NaN), 1)
            .toJson();

    assertThat(json)
        .isEqualTo(
            "{\"scenario\":\"x\",\"inner\":{\"a\":1,\"ok\":true},\"none\":null,"
                + "\"list\":[{\"n\":1},{}],\"xs\":[1.3,null]}");
    assertThat(MAPPER.readTree(json).get("inner").get("ok").asBoolean()).isTrue();
  }
}
