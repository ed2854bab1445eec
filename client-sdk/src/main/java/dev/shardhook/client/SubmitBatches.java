package dev.shardhook.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.shardhook.api.BatchItemResult;
import dev.shardhook.api.JobRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code submitAll}: gives every request an idempotency key, sends them in {@link BatchChunks}, and
 * turns each chunk's answer, or its failure, into one {@link SubmitResult} per request, in order.
 */
final class SubmitBatches {
  private static final TypeReference<List<BatchItemResult>> ANSWER = new TypeReference<>() {};

  private final RetryingTransport transport;

  SubmitBatches(RetryingTransport transport) {
    this.transport = transport;
  }

  /** The request's own key, or a fresh one for this logical submit. */
  static String keyFor(JobRequest request) {
    return request.idempotencyKey() != null
        ? request.idempotencyKey()
        : UUID.randomUUID().toString();
  }

  List<SubmitResult> submit(List<JobRequest> requests) {
    List<String> keys = new ArrayList<>(requests.size());
    List<byte[]> items = new ArrayList<>(requests.size());
    for (JobRequest r : requests) {
      Objects.requireNonNull(r, "requests must not contain null");
      String key = keyFor(r);
      keys.add(key);
      items.add(ClientJson.write(withKey(r, key)));
    }
    List<SubmitResult> results = new ArrayList<>(requests.size());
    for (BatchChunks.Chunk chunk : BatchChunks.split(items)) {
      // Items carry their keys in the body; one header cannot stand for many jobs.
      ApiCall call = ApiCall.post("jobs:batch", chunk.body(), null);
      try {
        List<BatchItemResult> answers = ClientJson.read(call, transport.execute(call), ANSWER);
        int expected = chunk.to() - chunk.from();
        if (answers.size() != expected) {
          throw new ShardhookException(
              call.describe() + ": " + answers.size() + " results for " + expected + " jobs",
              207,
              null,
              null);
        }
        for (int i = 0; i < expected; i++) {
          int index = chunk.from() + i;
          results.add(result(call, index, answers.get(i), keys.get(index)));
        }
      } catch (ShardhookException e) {
        for (int i = chunk.from(); i < chunk.to(); i++) {
          results.add(SubmitResult.refused(e, keys.get(i)));
        }
      }
    }
    return results;
  }

  private static SubmitResult result(ApiCall call, int index, BatchItemResult answer, String key) {
    if (answer.job() != null && (answer.status() == 200 || answer.status() == 201)) {
      return SubmitResult.accepted(answer.status(), answer.job(), key);
    }
    return SubmitResult.refused(
        ErrorResponses.ofItem(call, index, answer.status(), answer.problem()), key);
  }

  private static JobRequest withKey(JobRequest r, String key) {
    return new JobRequest(
        r.url(),
        r.method(),
        r.headers(),
        r.body(),
        r.id(),
        key,
        r.runAt(),
        r.delayMs(),
        r.timeoutMs(),
        r.retry(),
        r.queue(),
        r.orderingKey());
  }
}
