package dev.shardhook.support.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardhook.support.InvalidConfigException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the tenants file (README, "Security"): tenants with their API key hashes and roles, signing
 * secrets and quotas. Strict: an unknown field is an error, so a typo cannot silently drop a quota.
 */
public final class TenantsFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private TenantsFile() {}

  /** Whether {@code name} can name a tenant: {@code [a-z0-9][a-z0-9_-]{0,62}}. */
  public static boolean isTenantName(String name) {
    return name != null && TENANT.matcher(name).matches();
  }

  /**
   * @throws InvalidConfigException naming the first bad field
   */
  public static Tenants parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw bad("", "is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw bad("", "cannot be read (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw bad("", "must be a JSON object");
    }
    only(root, "", Set.of("tenants"));
    JsonNode tenants = root.path("tenants");
    if (!tenants.isObject()) {
      throw bad("tenants", "must be an object of tenants by name");
    }
    Map<String, Tenant> byName = new LinkedHashMap<>();
    Map<String, Tenants.KeyEntry> keys = new HashMap<>();
    Set<String> keyIds = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tenants.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String at = "tenants." + name;
      if (!isTenantName(name)) {
        throw bad(at, "tenant names match [a-z0-9][a-z0-9_-]{0,62}");
      }
      JsonNode t = e.getValue();
      if (!t.isObject()) {
        throw bad(at, "must be an object");
      }
      only(t, at, Set.of("keys", "signingSecrets", "quotas"));
      for (Tenants.KeyEntry k : keys(t.path("keys"), at + ".keys", name)) {
        if (!keyIds.add(k.id())) {
          throw bad(at + ".keys", "key id '" + k.id() + "' is used twice in the file");
        }
        if (keys.put(HexFormat.of().formatHex(k.sha256()), k) != null) {
          throw bad(at + ".keys", "key '" + k.id() + "' has the hash of another key");
        }
      }
      byName.put(
          name,
          new Tenant(
              name,
              secrets(t.path("signingSecrets"), at + ".signingSecrets"),
              quotas(t.path("quotas"), at + ".quotas")));
    }
    return new Tenants(byName, keys);
  }

  private static List<Tenants.KeyEntry> keys(JsonNode node, String at, String tenant) {
    List<Tenants.KeyEntry> out = new ArrayList<>();
    if (node.isMissingNode()) {
      return out;
    }
    if (!node.isArray()) {
      throw bad(at, "must be an array");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode k = node.get(i);
      String here = at + "[" + i + "]";
      if (!k.isObject()) {
        throw bad(here, "must be an object");
      }
      only(k, here, Set.of("id", "sha256", "role"));
      String id = text(k, "id", here);
      if (!LABEL.matcher(id).matches()) {
        throw bad(here + ".id", "key ids match [A-Za-z0-9._-]{1,64}");
      }
      String hash = text(k, "sha256", here).toLowerCase(Locale.ROOT);
      if (!SHA256_HEX.matcher(hash).matches()) {
        throw bad(here + ".sha256", "must be the 64 hex digits of the key's SHA-256");
      }
      Role role;
      try {
        role = Role.valueOf(text(k, "role", here).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw bad(here + ".role", "must be admin, submit or read");
      }
      out.add(new Tenants.KeyEntry(id, tenant, role, HexFormat.of().parseHex(hash)));
    }
    return out;
  }

  private static List<SigningSecret> secrets(JsonNode node, String at) {
    List<SigningSecret> out = new ArrayList<>();
    if (node.isMissingNode()) {
      return out;
    }
    if (!node.isArray()) {
      throw bad(at, "must be an array");
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode s = node.get(i);
      String here = at + "[" + i + "]";
      if (!s.isObject()) {
        throw bad(here, "must be an object");
      }
      only(s, here, Set.of("id", "secret", "notAfter"));
      String id = text(s, "id", here);
      if (!LABEL.matcher(id).matches()) {
        throw bad(here + ".id", "secret ids match [A-Za-z0-9._-]{1,64}");
      }
      String secret = text(s, "secret", here);
      if (!SecretSyntax.isValid(secret)) {
        throw bad(here + ".secret", "must be whsec_<base64 of at least 16 bytes>");
      }
      Instant notAfter = null;
      if (s.has("notAfter")) {
        try {
          notAfter = Instant.parse(text(s, "notAfter", here));
        } catch (DateTimeParseException e) {
          throw bad(here + ".notAfter", "must be an RFC 3339 UTC time like 2026-12-01T00:00:00Z");
        }
      }
      out.add(new SigningSecret(id, secret, notAfter));
    }
    return out;
  }

  private static Quotas quotas(JsonNode node, String at) {
    if (node.isMissingNode()) {
      return Quotas.NONE;
    }
    if (!node.isObject()) {
      throw bad(at, "must be an object");
    }
    only(node, at, Set.of("maxPendingPerShard", "submitRatePerSecond", "submitBurst"));
    long maxPending = whole(node, "maxPendingPerShard", at);
    long burst = whole(node, "submitBurst", at);
    JsonNode rate = node.path("submitRatePerSecond");
    double perSecond = 0;
    if (!rate.isMissingNode()) {
      if (!rate.isNumber() || !(rate.asDouble() >= 0) || rate.asDouble() > 1e9) {
        throw bad(at + ".submitRatePerSecond", "must be a number from 0 to 1e9 (0: no limit)");
      }
      perSecond = rate.asDouble();
    }
    return new Quotas(maxPending, perSecond, burst);
  }

  private static long whole(JsonNode node, String field, String at) {
    JsonNode v = node.path(field);
    if (v.isMissingNode()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw bad(at + "." + field, "must be a whole number >= 0 (0: no limit)");
    }
    return v.asLong();
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode v = node.path(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw bad(at + "." + field, "is required (a string)");
    }
    return v.asText();
  }

  private static void only(JsonNode node, String at, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw bad(at.isEmpty() ? f : at + "." + f, "is not a known field " + allowed);
      }
    }
  }

  private static InvalidConfigException bad(String at, String why) {
    return new InvalidConfigException("tenants file: " + (at.isEmpty() ? "" : at + " ") + why);
  }
}
