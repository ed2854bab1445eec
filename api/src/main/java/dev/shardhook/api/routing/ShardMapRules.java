package dev.shardhook.api.routing;

import dev.shardhook.api.problem.Printable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@link ShardMap}, each broken one reported in one line naming the shard, node or
 * epoch.
 */
final class ShardMapRules {
  private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private ShardMapRules() {}

  static List<ShardMap.Shard> checkShards(List<ShardMap.Shard> shards, boolean withNodes) {
    if (shards == null || shards.isEmpty()) {
      throw invalid("shards: at least one shard is required");
    }
    Set<String> ids = new HashSet<>();
    Map<String, String> nodeOwners = new HashMap<>();
    List<ShardMap.Shard> normalised = new ArrayList<>();
    for (ShardMap.Shard shard : shards) {
      String id = shard.id();
      if (!SHARD_ID.matcher(id).matches()) {
        throw invalid("shard id '" + Printable.of(id) + "': must match [A-Za-z0-9._-]{1,64}");
      }
      if (!ids.add(id)) {
        throw invalid("shard '" + id + "': listed twice");
      }
      if (!withNodes) {
        normalised.add(new ShardMap.Shard(id, List.of()));
        continue;
      }
      if (shard.nodes().isEmpty()) {
        throw invalid("shard '" + id + "': no nodes; list the URL of each of its nodes");
      }
      List<URI> urls = new ArrayList<>();
      for (URI url : shard.nodes()) {
        URI base = nodeUrl(id, url);
        String owner = nodeOwners.putIfAbsent(base.toString().toLowerCase(Locale.ROOT), id);
        if (owner != null) {
          throw invalid(
              "shard '"
                  + id
                  + "': node "
                  + base
                  + (owner.equals(id)
                      ? " is listed twice"
                      : " already belongs to shard '" + owner + "'"));
        }
        urls.add(base);
      }
      normalised.add(new ShardMap.Shard(id, urls));
    }
    return normalised;
  }

  private static URI nodeUrl(String shard, URI url) {
    String where = "shard '" + shard + "': node '" + Printable.of(String.valueOf(url)) + "'";
    String scheme = url.getScheme();
    if (scheme == null
        || url.isOpaque()
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw invalid(where + ": must be an absolute http or https URL such as http://10.0.0.5:8080");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw invalid(where + ": has no host");
    }
    if (url.getRawUserInfo() != null) {
      throw invalid(where + ": must not carry user info");
    }
    String path = url.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || url.getRawQuery() != null
        || url.getRawFragment() != null) {
      throw invalid(where + ": must be a base URL without path, query or fragment");
    }
    if (url.getPort() == 0 || url.getPort() > 65535) {
      throw invalid(where + ": port must be 1..65535");
    }
    try {
      return new URI(
          scheme.toLowerCase(Locale.ROOT), null, url.getHost(), url.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw invalid(where + ": " + e.getReason());
    }
  }

  static void checkEpochs(List<ShardMap.Shard> shards, List<ShardMap.Epoch> epochs) {
    if (epochs.isEmpty()) {
      throw invalid("epochs: empty; leave \"epochs\" out for one epoch of every shard");
    }
    Set<String> known = new HashSet<>();
    shards.forEach(s -> known.add(s.id()));
    ShardMap.Epoch previous = null;
    for (ShardMap.Epoch epoch : epochs) {
      String where = "epoch " + epoch.number();
      if (epoch.number() < 1) {
        throw invalid(where + ": epoch numbers must be positive");
      }
      if (previous != null && epoch.number() <= previous.number()) {
        throw invalid(
            where
                + ": listed after epoch "
                + previous.number()
                + "; list epochs oldest first with increasing numbers");
      }
      if (epoch.shards().isEmpty()) {
        throw invalid(where + ": lists no shards");
      }
      Set<String> inEpoch = new HashSet<>();
      for (String shard : epoch.shards()) {
        if (!known.contains(shard)) {
          throw invalid(
              where + ": unknown shard '" + Printable.of(shard) + "'; shards are " + known(shards));
        }
        if (!inEpoch.add(shard)) {
          throw invalid(where + ": lists shard '" + shard + "' twice");
        }
      }
      if (previous != null) {
        for (String shard : previous.shards()) {
          if (!inEpoch.contains(shard)) {
            throw invalid(
                where
                    + ": drops shard '"
                    + shard
                    + "' of epoch "
                    + previous.number()
                    + "; a later epoch must keep every shard (jobs stay where they were placed)");
          }
        }
        if (inEpoch.size() == previous.shards().size()) {
          throw invalid(
              where
                  + ": has the same shards as epoch "
                  + previous.number()
                  + "; a new epoch must add at least one shard");
        }
      }
      previous = epoch;
    }
    Set<String> newest = new HashSet<>(previous.shards());
    for (ShardMap.Shard shard : shards) {
      if (!newest.contains(shard.id())) {
        throw invalid(
            "shard '"
                + shard.id()
                + "': in no epoch; add it to a new epoch, or remove it from the shards");
      }
    }
  }

  private static String known(List<ShardMap.Shard> shards) {
    return String.join(", ", shards.stream().map(ShardMap.Shard::id).toList());
  }

  private static InvalidShardMapException invalid(String message) {
    return new InvalidShardMapException(message);
  }
}
