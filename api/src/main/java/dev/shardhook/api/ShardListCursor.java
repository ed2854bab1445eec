package dev.shardhook.api;

import dev.shardhook.api.problem.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code cursor} of a node's {@code GET /jobs}: where the previous page ended on that
 * shard (creation time and the id the tenant knows) and the filter it was listed with, base64url.
 * Jobs created later sort before that position, so they never shift a later page. The proxy writes
 * these too, to ask each shard for the page after the position it reached there.
 *
 * @param filter the filter of the listing
 * @param createdAtMs creation time of the last job seen
 * @param id public id of the last job seen
 */
public record ShardListCursor(ListFilter filter, long createdAtMs, String id) {
  // Added to the status byte of a filter that names a queue.
  private static final int WITH_QUEUE = 64;
  private static final int VERSION = 1;
  // Far more than a cursor needs (an id, a host and a few numbers): longer ones are refused unread.
  private static final int MAX_LENGTH = 2048;
  // The statuses a stored job can have, in the order of their byte in the cursor. RUNNING is never
  // stored, so no listing that can go on to a next page filters by it.
  private static final List<JobStatus> STORED =
      List.of(JobStatus.PENDING, JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);

  /**
   * @throws IllegalArgumentException for a filter by {@link JobStatus#RUNNING}
   */
  public ShardListCursor {
    if (filter.status() == JobStatus.RUNNING) {
      throw new IllegalArgumentException("no cursor lists RUNNING jobs: none is stored");
    }
  }

  public String encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(createdAtMs);
      out.writeUTF(id);
      writeFilter(out, filter);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /**
   * The cursor {@code text} encodes.
   *
   * @throws BadRequestException when it is not one a node wrote
   */
  public static ShardListCursor decode(String text) {
    if (text.length() > MAX_LENGTH) {
      throw invalid();
    }
    try {
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(text)));
      if (in.readByte() != VERSION) {
        throw invalid();
      }
      long createdAtMs = in.readLong();
      String id = in.readUTF();
      ListFilter filter = readFilter(in);
      if (in.available() != 0) {
        throw invalid();
      }
      return new ShardListCursor(filter, createdAtMs, id);
    } catch (IOException | IllegalArgumentException e) {
      throw invalid();
    }
  }

  /** Writes {@code filter} as cursors carry it (the proxy's merged cursor too). */
  public static void writeFilter(DataOutputStream out, ListFilter filter) throws IOException {
    int status = filter.status() == null ? -1 : STORED.indexOf(filter.status());
    // A queue filter is flagged in the status byte and follows the other fields, so cursors
    // without one keep the layout earlier builds wrote and read.
    out.writeByte(filter.queue() == null ? status : status + WITH_QUEUE);
    writeOptional(out, filter.host());
    writeOptional(out, filter.createdAfter());
    writeOptional(out, filter.createdBefore());
    if (filter.queue() != null) {
      out.writeUTF(filter.queue());
    }
  }

  /**
   * Reads what {@link #writeFilter} wrote.
   *
   * @throws IOException when it is cut short
   * @throws IllegalArgumentException when it holds no filter
   */
  public static ListFilter readFilter(DataInputStream in) throws IOException {
    int status = in.readByte();
    boolean withQueue = status >= WITH_QUEUE - 1;
    if (withQueue) {
      status -= WITH_QUEUE;
    }
    if (status < -1 || status >= STORED.size()) {
      throw new IllegalArgumentException("no status " + status);
    }
    String host = in.readBoolean() ? in.readUTF() : null;
    Long after = in.readBoolean() ? in.readLong() : null;
    Long before = in.readBoolean() ? in.readLong() : null;
    String queue = withQueue ? in.readUTF() : null;
    if (queue != null && !JobRules.isQueueName(queue)) {
      throw new IllegalArgumentException("no queue name");
    }
    return new ListFilter(status < 0 ? null : STORED.get(status), host, after, before, queue);
  }

  private static void writeOptional(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  private static void writeOptional(DataOutputStream out, Long value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeLong(value);
    }
  }

  private static BadRequestException invalid() {
    return new BadRequestException("cursor: not a cursor of this listing; start again without one");
  }
}
