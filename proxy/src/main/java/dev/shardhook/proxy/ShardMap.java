package dev.shardhook.proxy;

import dev.shardhook.api.problem.Printable;
import dev.shardhook.support.InvalidConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The proxy's static view of the cluster (DESIGN.md §4): every shard with its node URLs, and the
 * ring epochs, oldest first. The newest epoch places new jobs; lookups also try the shards older
 * epochs place an id on. Immutable; every factory validates and throws {@link
 * InvalidConfigException} with a one-line message naming what is wrong.
 *
 * <p>Rules, chosen so that a map can only grow in ways that keep every job findable:
 *
 * <ul>
 *   <li>at least one shard; shard ids match {@code [A-Za-z0-9._-]{1,64}} (a node's {@code
 *       --shard-id}) and are unique;
 *   <li>each shard has at least one node; node URLs are absolute {@code http}/{@code https} with a
 *       host and no path, query, fragment or user info, and each belongs to one shard only;
 *   <li>no epochs given means one epoch, number 1, of every shard in the listed order; an empty
 *       list is an error, as it is most likely a mistake;
 *   <li>epoch numbers are positive and strictly increasing in listed order; an epoch lists known
 *       shards, each once;
 *   <li>a later epoch keeps every shard of the earlier ones and adds at least one: jobs stay on the
 *       shard that accepted them, so a shard can never leave the ring while an epoch remembers it;
 *   <li>every shard listed is in the newest epoch (a shard in no epoch would never be used).
 * </ul>
 */
public final class ShardMap {
  private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * One shard: its id (a node's {@code --shard-id}) and the base URLs of its nodes' HTTP APIs.
   *
   * @param id the shard's id
   * @param nodes base URLs such as {@code http://10.0.0.5:8080}, normalised without a trailing
   *     slash
   */
  public record Shard(String id, List<URI> nodes) {
    public Shard {
      Objects.requireNonNull(id, "id");
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One ring epoch.
   *
   * @param number the epoch's number; later epochs have larger ones
   * @param shards the shards its ring spans
   */
  public record Epoch(long number, List<String> shards) {
    public Epoch {
      shards = List.copyOf(shards);
    }
  }

  private final List<Shard> shards;
  private final Map<String, Shard> byId;
  private final List<Epoch> epochs;

  private ShardMap(List<Shard> shards, List<Epoch> epochs) {
    this.shards = List.copyOf(shards);
    Map<String, Shard> index = new LinkedHashMap<>();
    shards.forEach(s -> index.put(s.id(), s));
    this.byId = index;
    this.epochs = List.copyOf(epochs);
  }

  /**
   * A validated map.
   *
   * @param epochs oldest first; null or absent means one epoch of every shard
   * @throws InvalidConfigException naming the first rule broken
   */
  public static ShardMap of(List<Shard> shards, List<Epoch> epochs) {
    List<Shard> normalised = checkShards(shards);
    List<Epoch> resolved =
        epochs == null
            ? List.of(new Epoch(1, normalised.stream().map(Shard::id).toList()))
            : epochs;
    checkEpochs(normalised, resolved);
    return new ShardMap(normalised, resolved);
  }

  /**
   * Reads a map file: YAML when the name ends in {@code .yaml} or {@code .yml}, JSON otherwise.
   *
   * @throws InvalidConfigException starting with {@code shard map <file>:}
   */
  public static ShardMap read(Path file) {
    return ShardMapFile.read(file);
  }

  /**
   * Parses the {@code --shards} form, one epoch of these shards: {@code
   * shard-0=http://h:1,http://h:2;shard-1=http://h:4}.
   *
   * @throws InvalidConfigException starting with {@code --shards:}
   */
  public static ShardMap parse(String spec) {
    return ShardSpec.parse(spec);
  }

  /** Every shard, in the order the map lists them. */
  public List<Shard> shards() {
    return shards;
  }

  public Optional<Shard> shard(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The epochs, oldest first; never empty. */
  public List<Epoch> epochs() {
    return epochs;
  }

  /** The epoch that places new jobs. */
  public Epoch newestEpoch() {
    return epochs.get(epochs.size() - 1);
  }

  @Override
  public String toString() {
    return "ShardMap" + byId.keySet() + " epochs " + epochs;
  }

  private static List<Shard> checkShards(List<Shard> shards) {
    if (shards == null || shards.isEmpty()) {
      throw invalid("shards: at least one shard is required");
    }
    Set<String> ids = new HashSet<>();
    Map<String, String> nodeOwners = new HashMap<>();
    List<Shard> normalised = new ArrayList<>();
    for (Shard shard : shards) {
      String id = shard.id();
      if (!SHARD_ID.matcher(id).matches()) {
        throw invalid("shard id '" + Printable.of(id) + "': must match [A-Za-z0-9._-]{1,64}");
      }
      if (!ids.add(id)) {
        throw invalid("shard '" + id + "': listed twice");
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
      normalised.add(new Shard(id, urls));
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

  private static void checkEpochs(List<Shard> shards, List<Epoch> epochs) {
    if (epochs.isEmpty()) {
      throw invalid("epochs: empty; leave \"epochs\" out for one epoch of every shard");
    }
    Set<String> known = new HashSet<>();
    shards.forEach(s -> known.add(s.id()));
    Epoch previous = null;
    for (Epoch epoch : epochs) {
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
    for (Shard shard : shards) {
      if (!newest.contains(shard.id())) {
        throw invalid(
            "shard '"
                + shard.id()
                + "': in no epoch; add it to a new epoch, or remove it from the shards");
      }
    }
  }

  private static String known(List<Shard> shards) {
    return String.join(", ", shards.stream().map(Shard::id).toList());
  }

  private static InvalidConfigException invalid(String message) {
    return new InvalidConfigException(message);
  }
}
