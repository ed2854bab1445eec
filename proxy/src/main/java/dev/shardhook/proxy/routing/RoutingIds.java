package dev.shardhook.proxy.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.JobRules;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.routing.JobIds;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * Fixes a submission's job id before it leaves the proxy (docs/architecture.md §4), with the node's
 * own rules and messages: the client's {@code id} if given; else the id its idempotency key stands
 * for ({@link JobIds#fromIdempotencyKey}, which the node derives the same way, so the body goes on
 * unchanged); else a fresh id, which the caller writes into the body, so that a copy of the request
 * sent to a second node replays the job instead of creating another.
 */
public final class RoutingIds {
  /** How many fresh ids to draw when looking for one that lands on an available shard. */
  static final int MAX_DRAWS = 64;

  /** Draws for an ordered job's id on its key's shard; a shard owns about 1/n of the ids. */
  static final int MAX_ORDERED_DRAWS = 4096;

  public enum Source {
    CLIENT_ID,
    IDEMPOTENCY_KEY,
    /** Neither id nor key: the proxy picks the id, and may pick another if its shard is down. */
    GENERATED
  }

  /**
   * @param id the id to route by; null for {@link Source#GENERATED} until one is drawn
   * @param bodyChanged whether {@link #read} rewrote a field (a number given as id or key becomes
   *     the string the node would read it as), so the body must be written anew
   */
  public record RoutingId(String id, Source source, boolean bodyChanged) {}

  private final EpochRings rings;
  private final Clock clock;

  public RoutingIds(EpochRings rings, Clock clock) {
    this.rings = rings;
    this.clock = clock;
  }

  /**
   * The routing id of one job request.
   *
   * @param keyHeader the {@code Idempotency-Key} header; null for batch items, whose keys are their
   *     own
   * @param tenant the caller's tenant: a key-derived id hashes tenant and key, as the node does
   * @throws InvalidJobException for an invalid id or key, or a key field that contradicts the
   *     header, with the node's message
   */
  public static RoutingId read(ObjectNode job, String keyHeader, String tenant) {
    boolean[] changed = {false};
    String id = scalar(job, "id", changed);
    String keyField = scalar(job, "idempotencyKey", changed);
    if (id != null && !JobIds.isValid(id)) {
      throw new InvalidJobException("id: must match [A-Za-z0-9._:-]{1,128}");
    }
    if (keyHeader != null) {
      checkKey(keyHeader, "Idempotency-Key header");
    }
    if (keyField != null) {
      checkKey(keyField, "idempotencyKey");
    }
    if (keyHeader != null && keyField != null && !keyHeader.equals(keyField)) {
      throw new InvalidJobException(
          "idempotencyKey: differs from the Idempotency-Key header; send one or make them equal");
    }
    String key = keyHeader != null ? keyHeader : keyField;
    if (id != null) {
      return new RoutingId(id, Source.CLIENT_ID, changed[0]);
    }
    if (key != null) {
      return new RoutingId(
          JobIds.fromIdempotencyKey(tenant, key), Source.IDEMPOTENCY_KEY, changed[0]);
    }
    return new RoutingId(null, Source.GENERATED, changed[0]);
  }

  /**
   * A fresh, time-ordered id whose newest-ring shard passes {@code shardOk}; after {@value
   * #MAX_DRAWS} draws without luck, the last one drawn (its forward then fails as it would have).
   */
  public String generate(Predicate<String> shardOk) {
    String id = null;
    for (int i = 0; i < MAX_DRAWS; i++) {
      id = JobIds.generate(clock);
      if (shardOk.test(rings.newestShardFor(id))) {
        return id;
      }
    }
    return id;
  }

  /**
   * The job's ordering key, or null when it has none (README, "Ordering").
   *
   * @throws InvalidJobException for a key that is no string or breaks the node's rule
   */
  public static String orderingKey(ObjectNode job) {
    String key = scalar(job, "orderingKey", new boolean[1]);
    try {
      JobRules.orderingKey(key);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(e.getMessage());
    }
    return key;
  }

  /**
   * A fresh id that the newest ring places on {@code shard}, for an ordered job, which lives on its
   * key's shard: drawn there, its id finds it by the ring as any other (README, "Ordering"). After
   * {@value #MAX_ORDERED_DRAWS} draws without luck, the last one drawn; lookups then find it by
   * asking every shard.
   */
  public String generateOn(String shard) {
    String id = null;
    for (int i = 0; i < MAX_ORDERED_DRAWS; i++) {
      id = JobIds.generate(clock);
      if (rings.newestShardFor(id).equals(shard)) {
        return id;
      }
    }
    return id;
  }

  /**
   * A string field as the node's JSON binding reads it: absent and null are no value; numbers and
   * booleans are coerced to their text (written back, so proxy and node agree on the id); objects
   * and arrays are refused.
   */
  private static String scalar(ObjectNode job, String field, boolean[] changed) {
    JsonNode value = job.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isValueNode() && !value.isBinary()) {
      String text = value.asText();
      job.put(field, text);
      changed[0] = true;
      return text;
    }
    throw new InvalidJobException(field + ": expected a string");
  }

  private static void checkKey(String key, String name) {
    if (!JobRules.isKey(key)) {
      throw new InvalidJobException(
          name + ": must be 1 to " + JobRules.MAX_KEY_LENGTH + " printable ASCII characters");
    }
  }
}
