package dev.shardhook.node.http;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.support.http.Endpoint;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.RequestJson;
import java.util.List;

/** {@code POST /jobs}: one job, answered 201, 200 (replay), or a problem. */
final class CommitJob implements Endpoint {
  private final JobService jobs;
  private final JobRequestValidator validator;
  private final Rejections rejections;
  private final JobMetrics metrics;
  private final int maxRequestBytes;

  CommitJob(
      JobService jobs,
      JobRequestValidator validator,
      Rejections rejections,
      JobMetrics metrics,
      int maxRequestBytes) {
    this.jobs = jobs;
    this.validator = validator;
    this.rejections = rejections;
    this.metrics = metrics;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void handle(Exchange exchange) {
    try {
      byte[] body = exchange.readJsonBody(maxRequestBytes);
      JobRequest request = RequestJson.read(body, JobRequest.class);
      NewJob job = validator.toNewJob(request, exchange.header("Idempotency-Key"));
      List<SubmitResult> results;
      try {
        results = Await.result(jobs.submit(List.of(job)));
      } catch (CommitUnknownException e) {
        throw e.forJob(job.id());
      }
      if (results.size() != 1) {
        throw new IllegalStateException("submit of 1 job gave " + results.size() + " results");
      }
      answer(exchange, results.get(0), job);
    } catch (RuntimeException e) {
      metrics.rejected(e, 1);
      throw e;
    }
  }

  private void answer(Exchange exchange, SubmitResult result, NewJob job) {
    switch (result.kind()) {
      case CREATED -> {
        metrics.accepted();
        send(exchange, 201, result.job());
      }
      case REPLAYED -> {
        metrics.replayed();
        exchange.header("Idempotent-Replayed", "true");
        send(exchange, 200, result.job());
      }
      case MISMATCH, QUEUE_FULL, UNAPPLICABLE -> throw rejections.of(result, job);
    }
  }

  private static void send(Exchange exchange, int status, Job job) {
    if (job == null) {
      throw new IllegalStateException("the job service returned no job for status " + status);
    }
    exchange.header("Location", "/jobs/" + job.id());
    exchange.sendJson(status, job);
  }
}
