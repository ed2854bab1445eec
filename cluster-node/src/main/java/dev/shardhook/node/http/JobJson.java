package dev.shardhook.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.WireJson;
import dev.shardhook.node.job.JobRecord;
import java.io.UncheckedIOException;

/** A job as the API shows it (tenant's own id, sensitive headers redacted), as JSON text. */
public final class JobJson {
  private JobJson() {}

  public static String of(JobRecord job) {
    try {
      return WireJson.mapper().writeValueAsString(WireJobs.job(job));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
