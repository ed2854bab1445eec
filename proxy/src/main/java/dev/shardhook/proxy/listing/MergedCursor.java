package dev.shardhook.proxy.listing;

import dev.shardhook.api.ListFilter;
import dev.shardhook.api.ShardListCursor;
import dev.shardhook.api.problem.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The opaque {@code cursor} the proxy's {@code GET /jobs} answers with (README, "Listing jobs"):
 * the filter, and per shard id how far the listing got there, base64url. A shard the cursor does
 * not name (added to the map since) starts from its newest job.
 *
 * <p>Its first byte differs from a node cursor's, so a node's cursor sent to the proxy is refused
 * rather than misread.
 *
 * @param filter the filter of the listing
 * @param places by shard id
 */
record MergedCursor(ListFilter filter, Map<String, ShardPlace> places) {
  private static final int VERSION = 0x51;
  private static final int TOP = 0;
  private static final int AT = 1;
  private static final int DONE = 2;
  // Positions of some hundred shards; longer texts are refused unread.
  private static final int MAX_LENGTH = 64 * 1024;

  MergedCursor {
    places = Collections.unmodifiableMap(new LinkedHashMap<>(places));
  }

  ShardPlace place(String shard) {
    return places.getOrDefault(shard, ShardPlace.TOP);
  }

  String encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      ShardListCursor.writeFilter(out, filter);
      out.writeShort(places.size());
      for (Map.Entry<String, ShardPlace> e : places.entrySet()) {
        out.writeUTF(e.getKey());
        switch (e.getValue()) {
          case ShardPlace.Top top -> out.writeByte(TOP);
          case ShardPlace.Done done -> out.writeByte(DONE);
          case ShardPlace.At at -> {
            out.writeByte(AT);
            out.writeLong(at.createdAtMs());
            out.writeUTF(at.id());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /**
   * The cursor {@code text} encodes.
   *
   * @throws BadRequestException when it is not one a proxy wrote (a node's cursor included)
   */
  static MergedCursor decode(String text) {
    if (text.length() > MAX_LENGTH) {
      throw invalid();
    }
    try {
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(text)));
      if (in.readByte() != VERSION) {
        throw invalid();
      }
      ListFilter filter = ShardListCursor.readFilter(in);
      int count = in.readUnsignedShort();
      Map<String, ShardPlace> places = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String shard = in.readUTF();
        ShardPlace place =
            switch (in.readByte()) {
              case TOP -> ShardPlace.TOP;
              case DONE -> ShardPlace.DONE;
              case AT -> new ShardPlace.At(in.readLong(), in.readUTF());
              default -> throw invalid();
            };
        if (places.put(shard, place) != null) {
          throw invalid();
        }
      }
      if (in.available() != 0) {
        throw invalid();
      }
      return new MergedCursor(filter, places);
    } catch (IOException | IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static BadRequestException invalid() {
    return new BadRequestException(
        "cursor: not a cursor of this proxy's listing; start again without one");
  }
}
