package dev.shardhook.node;

import dev.shardhook.node.NodeConfig.Peer;
import dev.shardhook.support.config.ValueFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A Raft group written {@code id=host:port,id=host:port,...}. */
final class PeerListFormat implements ValueFormat<List<Peer>> {
  static final PeerListFormat INSTANCE = new PeerListFormat();

  private PeerListFormat() {}

  @Override
  public List<Peer> parse(String spec) {
    List<Peer> parsed = new ArrayList<>();
    for (String part : spec.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      int colon = p.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == p.length() - 1) {
        throw new IllegalArgumentException(
            "'" + p + "' is not id=host:port (example: a=127.0.0.1:9200)");
      }
      int port;
      try {
        port = Integer.parseInt(p.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in '" + p + "'");
      }
      parsed.add(new Peer(p.substring(0, eq), p.substring(eq + 1, colon), port));
    }
    return List.copyOf(parsed);
  }

  @Override
  public String print(List<Peer> peers) {
    return peers.stream().map(p -> p.id() + "=" + p.address()).collect(Collectors.joining(","));
  }

  @Override
  public String hint() {
    return "id=host:port,...";
  }
}
