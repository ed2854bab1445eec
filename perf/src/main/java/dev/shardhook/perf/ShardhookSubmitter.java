package dev.shardhook.perf;

import java.util.List;
import java.util.function.Consumer;

/** Hands a {@link DeliveryRun}'s jobs to Shardhook through {@code POST /jobs:batch}. */
final class ShardhookSubmitter implements DeliveryRun.Submitter {
  private final BatchSubmitter batches;

  ShardhookSubmitter(BatchSubmitter batches) {
    this.batches = batches;
  }

  @Override
  public void submitAll(List<WebhookJob> jobs, Consumer<String> onAccepted)
      throws InterruptedException {
    batches.submitAll(
        jobs.stream().map(j -> new BatchSubmitter.PendingJob(j.id(), j.json())).toList(),
        onAccepted);
  }

  @Override
  public long failed() {
    return batches.failed();
  }
}
