package dev.shardhook.node.http;

import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.node.job.JobState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The opaque {@code cursor} of {@code GET /jobs}: where the previous page ended (creation time and
 * the id the tenant knows) and the filter it was listed with, base64url. Jobs created later sort
 * before that position, so they never shift a later page.
 *
 * @param filter the filter of the listing
 * @param createdAtMs creation time of the last job seen
 * @param id public id of the last job seen
 */
record ListCursor(Filter filter, long createdAtMs, String id) {
  private static final int VERSION = 1;
  // Far more than a cursor needs (an id, a host and a few numbers): longer ones are refused unread.
  private static final int MAX_LENGTH = 2048;

  /** What a listing is filtered by; null fields filter nothing. */
  record Filter(JobState status, String host, Long createdAfter, Long createdBefore) {}

  String encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(createdAtMs);
      out.writeUTF(id);
      out.writeByte(filter.status() == null ? -1 : filter.status().ordinal());
      writeOptional(out, filter.host());
      writeOptional(out, filter.createdAfter());
      writeOptional(out, filter.createdBefore());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /** The cursor {@code text} encodes; a 400 when it is not one this node wrote. */
  static ListCursor decode(String text) {
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
      int status = in.readByte();
      if (status < -1 || status >= JobState.values().length) {
        throw invalid();
      }
      String host = in.readBoolean() ? in.readUTF() : null;
      Long after = in.readBoolean() ? in.readLong() : null;
      Long before = in.readBoolean() ? in.readLong() : null;
      if (in.available() != 0) {
        throw invalid();
      }
      Filter filter =
          new Filter(status < 0 ? null : JobState.values()[status], host, after, before);
      return new ListCursor(filter, createdAtMs, id);
    } catch (IOException | IllegalArgumentException e) {
      throw invalid();
    }
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
