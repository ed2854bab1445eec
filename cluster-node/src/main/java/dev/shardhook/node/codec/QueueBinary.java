package dev.shardhook.node.codec;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueCounts;

/**
 * The binary layout of a {@link QueueConfig} (in log entries and in the store's {@code queues}
 * family) and of its {@link QueueCounts}: the record's components in order, the retry defaults as a
 * presence byte and five nullable fields.
 */
public final class QueueBinary {
  private QueueBinary() {}

  public static void write(BinaryOut out, QueueConfig q) {
    out.writeString(q.tenant());
    out.writeString(q.name());
    out.writeBoolean(q.retry() != null);
    if (q.retry() != null) {
      RetrySpec r = q.retry();
      out.writeNullableInt(r.maxAttempts());
      out.writeNullableLong(r.initialBackoffMs());
      out.writeNullableLong(r.maxBackoffMs());
      out.writeNullableDouble(r.multiplier());
      out.writeNullableLong(r.maxRetryDurationMs());
    }
    out.writeNullableInt(q.maxConcurrency());
    out.writeNullableDouble(q.ratePerSecond());
    out.writeNullableInt(q.burst());
    out.writeBoolean(q.paused());
    out.writeByte(q.orderingOnFailure() == QueueConfig.OrderingOnFailure.SKIP ? 1 : 0);
    out.writeByte(q.onDestinationDisabled() == QueueConfig.OnDestinationDisabled.FAIL ? 1 : 0);
    out.writeInt(q.shards());
    out.writeLong(q.updatedAtMs());
  }

  public static QueueConfig read(BinaryIn in) {
    String tenant = in.readString();
    String name = in.readString();
    if (tenant == null || name == null) {
      throw new IllegalArgumentException("malformed binary value: queue without tenant or name");
    }
    RetrySpec retry =
        in.readBoolean()
            ? new RetrySpec(
                in.readNullableInt(),
                in.readNullableLong(),
                in.readNullableLong(),
                in.readNullableDouble(),
                in.readNullableLong())
            : null;
    return new QueueConfig(
        tenant,
        name,
        retry,
        in.readNullableInt(),
        in.readNullableDouble(),
        in.readNullableInt(),
        in.readBoolean(),
        flag(in.readByte(), "orderingOnFailure")
            ? QueueConfig.OrderingOnFailure.SKIP
            : QueueConfig.OrderingOnFailure.BLOCK,
        flag(in.readByte(), "onDestinationDisabled")
            ? QueueConfig.OnDestinationDisabled.FAIL
            : QueueConfig.OnDestinationDisabled.WAIT,
        in.readInt(),
        in.readLong());
  }

  // Fixed codes rather than ordinals, so reordering an enum cannot silently change stored data.
  private static boolean flag(int code, String field) {
    return switch (code) {
      case 0 -> false;
      case 1 -> true;
      default ->
          throw new IllegalArgumentException("malformed binary value: " + field + " " + code);
    };
  }

  public static byte[] encode(QueueConfig q) {
    BinaryOut out = new BinaryOut(128);
    write(out, q);
    return out.toByteArray();
  }

  public static QueueConfig decode(byte[] bytes) {
    BinaryIn in = new BinaryIn(bytes);
    QueueConfig q = read(in);
    in.expectEnd();
    return q;
  }

  public static byte[] encodeCounts(QueueCounts c) {
    BinaryOut out = new BinaryOut(24);
    out.writeLong(c.depth());
    out.writeLong(c.delivered());
    out.writeLong(c.failed());
    return out.toByteArray();
  }

  public static QueueCounts decodeCounts(byte[] bytes) {
    if (bytes == null) {
      return QueueCounts.ZERO;
    }
    BinaryIn in = new BinaryIn(bytes);
    QueueCounts c = new QueueCounts(in.readLong(), in.readLong(), in.readLong());
    in.expectEnd();
    return c;
  }
}
