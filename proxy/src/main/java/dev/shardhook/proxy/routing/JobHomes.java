package dev.shardhook.proxy.routing;

import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import java.util.List;

/**
 * Where a job with a known id lives, across ring epochs (docs/architecture.md §4). A job stays on
 * the shard that accepted it, so after a shard is added an id may live on the shard an older epoch
 * names.
 *
 * <p>Lookups ask the newest ring's shard first and the older ones on 404 ({@code FindJob}). A
 * re-submission of a known id must reach the shard that holds the job, or it would create a second
 * one on the new shard: {@link #submitTarget} first asks the older epochs' shards whether they hold
 * it. Fresh ids never need this; they were never placed anywhere.
 */
public final class JobHomes {
  private final EpochRings rings;
  private final Forwarder forwarder;

  public JobHomes(EpochRings rings, Forwarder forwarder) {
    this.rings = rings;
    this.forwarder = forwarder;
  }

  /** Whether {@link #submitTarget} has to ask any shard before the id can be placed. */
  public boolean needsProbe(String jobId) {
    return rings.homes(jobId).size() > 1;
  }

  /**
   * The shard a submission with this fixed id goes to: an older epoch's shard that already holds
   * it, else the newest ring's shard.
   *
   * @throws ShardUnavailableException when an older shard cannot say whether it holds the job
   *     (placing it on the newest shard might then duplicate it)
   */
  public String submitTarget(String jobId, Credentials credentials) {
    List<String> homes = rings.homes(jobId);
    for (String older : homes.subList(1, homes.size())) {
      NodeAnswer answer;
      try {
        answer = forwarder.forward(older, NodeRequest.get("/jobs/" + jobId, credentials));
      } catch (ProblemException e) {
        throw cannotTell(jobId, older, e.getMessage());
      }
      if (answer.status() == 200) {
        return older;
      }
      if (answer.status() != 404) {
        throw cannotTell(jobId, older, "it answered " + answer.status());
      }
    }
    return homes.get(0);
  }

  private static ShardUnavailableException cannotTell(String jobId, String shard, String why) {
    return new ShardUnavailableException(
        "cannot tell whether shard '"
            + shard
            + "' (of an older ring epoch) already holds job '"
            + jobId
            + "': "
            + why,
        false);
  }
}
