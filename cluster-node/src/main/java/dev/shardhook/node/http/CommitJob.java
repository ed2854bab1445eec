package dev.shardhook.node.http;

import dev.shardhook.api.JobRequest;
import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.support.http.Endpoint;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.JobPaths;
import dev.shardhook.support.http.RequestJson;
import java.util.List;

/** {@code POST /jobs}: one job, answered 201, 200 (replay), or a problem. */
final class CommitJob implements Endpoint {
  private final Submissions submissions;
  private final int maxRequestBytes;

  CommitJob(Submissions submissions, int maxRequestBytes) {
    this.submissions = submissions;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void handle(Exchange exchange) {
    try {
      byte[] body = exchange.readJsonBody(maxRequestBytes);
      JobRequest request = RequestJson.read(body, JobRequest.class);
      NewJob job =
          submissions.check(request, exchange.header("Idempotency-Key"), exchange.tenant());
      submissions.admit(exchange.tenant(), job);
      SubmitResult result;
      try {
        result = submissions.commit(List.of(job)).get(0);
      } catch (CommitUnknownException e) {
        throw e.forJob(TenantIds.publicId(job.id()));
      }
      ProblemException refusal = submissions.judge(result, job);
      if (refusal != null) {
        throw refusal;
      }
      if (result.kind() == SubmitResult.Kind.REPLAYED) {
        exchange.header("Idempotent-Replayed", "true");
        send(exchange, 200, result.job());
      } else {
        send(exchange, 201, result.job());
      }
    } catch (RuntimeException e) {
      submissions.rejected(e, 1);
      throw e;
    }
  }

  private static void send(Exchange exchange, int status, JobRecord job) {
    if (job == null) {
      throw new IllegalStateException("the job service returned no job for status " + status);
    }
    exchange.header("Location", JobPaths.of(TenantIds.publicId(job.id())));
    exchange.sendJson(status, WireJobs.job(job));
  }
}
