package dev.shardhook.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * haproxy.cfg split into sections ("global", "defaults", "frontend entry", "backend proxies", …),
 * each a list of its directives with comments and surrounding blanks removed and inner blanks
 * collapsed.
 */
final class HaproxyConfig {
  final Map<String, List<String>> sections = new LinkedHashMap<>();

  HaproxyConfig(String text) {
    List<String> current = null;
    for (String raw : text.split("\n", -1)) {
      String line = raw;
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      if (line.isBlank()) {
        continue;
      }
      String directive = line.strip().replaceAll("\\s+", " ");
      if (!Character.isWhitespace(line.charAt(0))) {
        current = new ArrayList<>();
        if (sections.put(directive, current) != null) {
          throw new AssertionError("haproxy.cfg: section " + directive + " twice");
        }
      } else if (current == null) {
        throw new AssertionError("haproxy.cfg: directive outside a section: " + directive);
      } else {
        current.add(directive);
      }
    }
  }

  List<String> section(String header) {
    List<String> s = sections.get(header);
    if (s == null) {
      throw new AssertionError("haproxy.cfg: no section '" + header + "' in " + sections.keySet());
    }
    return s;
  }

  /** Directives starting with this keyword ("server", "option httpchk", …). */
  static List<String> starting(List<String> section, String keyword) {
    return section.stream().filter(d -> d.equals(keyword) || d.startsWith(keyword + " ")).toList();
  }

  /** Every directive of the file starting with this keyword, whatever the section. */
  List<String> everywhere(String keyword) {
    return sections.values().stream().flatMap(s -> starting(s, keyword).stream()).toList();
  }
}
