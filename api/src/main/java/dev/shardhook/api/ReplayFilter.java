package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardhook.api.problem.BadRequestException;
import java.time.Instant;
import java.util.Locale;

/**
 * The body of {@code POST /jobs:replay}: which of the caller's jobs a bulk replay takes, with the
 * fields of the list's filter (README, "Replaying failed jobs"). Absent fields filter nothing,
 * except {@code status}, which is {@link JobStatus#FAILED} when absent.
 *
 * @param status {@link JobStatus#FAILED} or {@link JobStatus#CANCELLED}
 * @param host only jobs whose URL names this host
 * @param createdAfter only jobs created after this instant (exclusive)
 * @param createdBefore only jobs created before this instant (exclusive)
 * @param idempotencyKey only the job of this key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayFilter(
    JobStatus status,
    String host,
    Instant createdAfter,
    Instant createdBefore,
    String idempotencyKey) {

  /** Host names are at most 253 characters. */
  public static final int MAX_HOST = 253;

  /**
   * This filter checked, with its default status filled in and the host in lower case.
   *
   * @throws BadRequestException for a status other than FAILED or CANCELLED, or a bad host or key
   */
  public ReplayFilter resolved() {
    JobStatus s = status == null ? JobStatus.FAILED : status;
    if (s != JobStatus.FAILED && s != JobStatus.CANCELLED) {
      throw new BadRequestException(
          "status: only FAILED or CANCELLED jobs can be replayed, got " + s);
    }
    if (host != null && (host.isEmpty() || host.length() > MAX_HOST)) {
      throw new BadRequestException(
          "host: must be a host name of 1 to " + MAX_HOST + " characters");
    }
    if (idempotencyKey != null && !JobRules.isKey(idempotencyKey)) {
      throw new BadRequestException(
          "idempotencyKey: must be 1 to "
              + JobRules.MAX_KEY_LENGTH
              + " printable ASCII characters");
    }
    return new ReplayFilter(
        s,
        host == null ? null : host.toLowerCase(Locale.ROOT),
        createdAfter,
        createdBefore,
        idempotencyKey);
  }
}
