package dev.shardhook.support.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.Printable;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads request bodies and turns Jackson's failures into 400s ({@link InvalidJobException}) whose
 * detail names the field or the position, without Java class names or stack traces.
 */
public final class RequestJson {
  private static final int MAX_DETAIL = 300;

  private RequestJson() {}

  /** Reads one value of {@code type} from a whole body with the wire mapper. */
  public static <T> T read(byte[] body, Class<T> type) {
    requireContent(body);
    try {
      return WireJson.mapper().readValue(body, type);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  /** The whole body as a tree, read by the wire mapper. */
  public static JsonNode readTree(byte[] body) {
    return readTree(body, WireJson.mapper());
  }

  /** The whole body as a tree, read by {@code mapper}. */
  public static JsonNode readTree(byte[] body, ObjectMapper mapper) {
    requireContent(body);
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw invalid(e);
    }
  }

  /** Binds one element of an already parsed document, such as a batch item. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return WireJson.mapper().treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw invalid(e);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(shorten("request body: " + e.getMessage()));
    }
  }

  private static void requireContent(byte[] body) {
    if (body.length == 0) {
      throw new InvalidJobException("request body: empty; expected JSON");
    }
  }

  private static InvalidJobException invalid(IOException e) {
    return new InvalidJobException(shorten(describe(e)));
  }

  private static String describe(IOException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return field(u) + ": unknown field" + known(u.getKnownPropertyIds());
    }
    if (e instanceof InvalidFormatException f) {
      return field(f) + ": cannot read " + quote(f.getValue()) + " as " + kind(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      return field(m) + ": expected " + kind(m.getTargetType());
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return field(m) + ": " + m.getOriginalMessage();
    }
    if (e instanceof JsonProcessingException p) {
      String where = e instanceof StreamReadException ? "malformed JSON" : "request body";
      return where + location(p.getLocation()) + ": " + p.getOriginalMessage();
    }
    return "request body: unreadable (" + e.getMessage() + ")";
  }

  private static String field(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "request body" : b.toString();
  }

  private static String known(Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "";
    }
    return ids.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)).stream()
        .collect(Collectors.joining(", ", " (known fields: ", ")"));
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == Instant.class) {
      return "an RFC 3339 timestamp";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "another type";
  }

  private static String location(JsonLocation l) {
    if (l == null || l.getLineNr() < 1) {
      return "";
    }
    return " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static String quote(Object value) {
    return value instanceof String s ? "'" + Printable.of(s) + "'" : String.valueOf(value);
  }

  private static String shorten(String s) {
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }
}
