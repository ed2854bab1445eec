package dev.shardhook.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.BatchItemResult;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.QuotaExceededException;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.support.http.Endpoint;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.RequestJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /jobs:batch}: up to {@value #MAX_ITEMS} jobs, each judged on its own, the valid ones
 * replicated together. Answers 207 with one result per item, in request order; only a failure of
 * the whole batch (unreadable body, shard unavailable) is a problem.
 */
final class CommitBatch implements Endpoint {
  static final int MAX_ITEMS = 1000;

  private final Submissions submissions;
  private final int maxRequestBytes;

  CommitBatch(Submissions submissions, int maxRequestBytes) {
    this.submissions = submissions;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void handle(Exchange exchange) {
    JsonNode items;
    try {
      items = RequestJson.readTree(exchange.readJsonBody(maxRequestBytes));
      checkShape(items);
    } catch (RuntimeException e) {
      submissions.rejected(e, 1);
      throw e;
    }

    BatchItemResult[] results = new BatchItemResult[items.size()];
    List<NewJob> valid = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        JobRequest request = RequestJson.convert(items.get(i), JobRequest.class);
        // Items carry their own keys; one header cannot stand for many jobs.
        valid.add(submissions.check(request, null, exchange.tenant()));
        positions.add(i);
      } catch (ProblemException e) {
        submissions.rejected(e, 1);
        results[i] = refused(e, exchange.instance());
      }
    }

    if (!valid.isEmpty()) {
      try {
        submissions.admit(exchange.tenant(), valid.size());
      } catch (QuotaExceededException e) {
        submissions.rejected(e, valid.size());
        for (int position : positions) {
          results[position] = refused(e, exchange.instance());
        }
        exchange.sendJson(207, Arrays.asList(results));
        return;
      }
      List<SubmitResult> submitted;
      try {
        submitted = submissions.commit(valid);
      } catch (CommitUnknownException e) {
        // Each item may still be created: name every id, so the client can look each one up.
        submissions.rejected(e, valid.size());
        for (int j = 0; j < valid.size(); j++) {
          results[positions.get(j)] =
              refused(e.forJob(TenantIds.publicId(valid.get(j).id())), exchange.instance());
        }
        exchange.sendJson(207, Arrays.asList(results));
        return;
      } catch (RuntimeException e) {
        submissions.rejected(e, valid.size());
        throw e;
      }
      for (int j = 0; j < submitted.size(); j++) {
        results[positions.get(j)] = answer(submitted.get(j), valid.get(j), exchange.instance());
      }
    }
    exchange.sendJson(207, Arrays.asList(results));
  }

  private static void checkShape(JsonNode items) {
    if (items == null || !items.isArray()) {
      throw new InvalidJobException("request body: expected a JSON array of job requests");
    }
    if (items.isEmpty() || items.size() > MAX_ITEMS) {
      throw new InvalidJobException(
          "request body: " + items.size() + " job requests; a batch holds 1 to " + MAX_ITEMS);
    }
  }

  private BatchItemResult answer(SubmitResult result, NewJob job, String path) {
    ProblemException refusal = submissions.judge(result, job);
    if (refusal != null) {
      submissions.rejected(refusal, 1);
      return refused(refusal, path);
    }
    int status = result.kind() == SubmitResult.Kind.REPLAYED ? 200 : 201;
    return new BatchItemResult(status, present(result), null);
  }

  private static Job present(SubmitResult result) {
    if (result.job() == null) {
      throw new IllegalStateException("the job service returned no job for " + result.kind());
    }
    return WireJobs.job(result.job());
  }

  private static BatchItemResult refused(ProblemException e, String path) {
    return new BatchItemResult(e.status(), null, e.toProblem(path));
  }
}
