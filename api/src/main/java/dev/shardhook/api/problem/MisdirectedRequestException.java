package dev.shardhook.api.problem;

/**
 * A job id this shard does not own under any ring epoch of the shard map: the proxies would never
 * look for it here (RFC 9110 §15.5.20).
 */
public final class MisdirectedRequestException extends ProblemException {
  public MisdirectedRequestException(String id, String shard, String owner) {
    super(
        421,
        ProblemTypes.MISDIRECTED,
        "Misdirected request",
        "job id '"
            + id
            + "' does not belong to this shard '"
            + shard
            + "'; shard '"
            + owner
            + "' owns it: send it through a proxy, or to that shard's nodes",
        null);
  }
}
