package dev.shardhook.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.proxy.routing.RoutingIds.RoutingId;
import dev.shardhook.proxy.routing.RoutingIds.Source;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingIdsTest {
  private final EpochRings rings =
      new EpochRings(
          ShardMapSource.parse("shard-0=http://h:1;shard-1=http://h:2;shard-2=http://h:3"));
  private final RoutingIds ids =
      new RoutingIds(rings, Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void theClientsIdWinsOverAKey() {
    RoutingId id =
        RoutingIds.read(job("{\"id\":\"order-1\",\"idempotencyKey\":\"k\"}"), "k", "default");

    assertThat(id).isEqualTo(new RoutingId("order-1", Source.CLIENT_ID, false));
  }

  @Test
  void aKeyFromHeaderOrFieldStandsForTheIdTheNodeDerives() {
    String derived = JobIds.fromIdempotencyKey("order-1042-paid");

    assertThat(RoutingIds.read(job("{}"), "order-1042-paid", "default"))
        .isEqualTo(new RoutingId(derived, Source.IDEMPOTENCY_KEY, false));
    assertThat(RoutingIds.read(job("{\"idempotencyKey\":\"order-1042-paid\"}"), null, "default"))
        .isEqualTo(new RoutingId(derived, Source.IDEMPOTENCY_KEY, false));
    assertThat(
            RoutingIds.read(
                job("{\"idempotencyKey\":\"order-1042-paid\"}"), "order-1042-paid", "default"))
        .isEqualTo(new RoutingId(derived, Source.IDEMPOTENCY_KEY, false));
  }

  @Test
  void neitherIdNorKeyLeavesTheIdToTheProxy() {
    ObjectNode job = job("{\"url\":\"http://x\",\"id\":null}");

    assertThat(RoutingIds.read(job, null, "default"))
        .isEqualTo(new RoutingId(null, Source.GENERATED, false));
  }

  @Test
  void aNumberGivenAsIdIsRoutedAndForwardedAsTheStringTheNodeReads() {
    ObjectNode job = job("{\"id\":12345,\"idempotencyKey\":2.50}");

    RoutingId id = RoutingIds.read(job, null, "default");

    assertThat(id).isEqualTo(new RoutingId("12345", Source.CLIENT_ID, true));
    assertThat(job.get("id").isTextual()).isTrue();
    assertThat(job.get("idempotencyKey").asText()).isEqualTo("2.50");
  }

  @ParameterizedTest(name = "{0} / header {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      nullValues = "NULL",
      textBlock =
          """
          {"id":"has space"}                 | NULL | id: must match [A-Za-z0-9._:-]{1,128}
          {"id":""}                          | NULL | id: must match
          {"id":{"a":1}}                     | NULL | id: expected a string
          {"idempotencyKey":["k"]}           | NULL | idempotencyKey: expected a string
          {"idempotencyKey":""}              | NULL | idempotencyKey: must be 1 to 255 printable ASCII characters
          {}                                 | ``   | Idempotency-Key header: must be 1 to 255
          {"idempotencyKey":"a"}             | b    | idempotencyKey: differs from the Idempotency-Key header
          """)
  void refusesWhatTheNodeWouldRefuseWithItsMessage(String json, String header, String message) {
    assertThatThrownBy(() -> RoutingIds.read(job(json), header, "default"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void refusesAKeyOverTheLimitOrWithControlCharacters() {
    assertThatThrownBy(() -> RoutingIds.read(job("{}"), "k".repeat(256), "default"))
        .hasMessageContaining("1 to 255 printable ASCII");
    assertThatThrownBy(
            () -> RoutingIds.read(job("{\"idempotencyKey\":\"a\\u0001\"}"), null, "default"))
        .hasMessageContaining("1 to 255 printable ASCII");
  }

  @Test
  void generatedIdsAreValidTimeOrderedAndLandOnAnAcceptedShard() {
    for (int i = 0; i < 50; i++) {
      String id = ids.generate(shard -> shard.equals("shard-2"));

      assertThat(JobIds.isValid(id)).isTrue();
      assertThat(id).startsWith("01941f29-7c00-7"); // 2025-01-01T00:00Z in UUIDv7
      assertThat(rings.newestShardFor(id)).isEqualTo("shard-2");
    }
  }

  @Test
  void withNoAcceptableShardTheLastDrawIsReturnedAnyway() {
    String id = ids.generate(shard -> false);

    assertThat(JobIds.isValid(id)).isTrue();
  }

  /** Read as the proxy reads request bodies: decimals keep their digits ("2.50"). */
  private static final ObjectMapper BODIES =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  private static ObjectNode job(String json) {
    try {
      return (ObjectNode) BODIES.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
