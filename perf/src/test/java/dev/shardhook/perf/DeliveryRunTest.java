package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A DeliveryRun against a fake "system" that posts to the sink itself. */
class DeliveryRunTest {
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private final Console console = new Console(quiet, quiet, Progress.Style.NONE);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void measuresDeliveriesDuplicatesAndLoss() throws Exception {
    try (WebhookSink sink = WebhookSink.start(List.of("127.0.0.1"), 0, Duration.ZERO)) {
      List<WebhookJob> jobs = WebhookJob.spread("t", 20, sink.urls(), "body");
      // Delivers every job, job t-3 twice, and acknowledges t-7 without ever delivering it.
      DeliveryRun.Submitter system =
          new DeliveryRun.Submitter() {
            @Override
            public void submitAll(List<WebhookJob> all, Consumer<String> onAccepted)
                throws Exception {
              for (WebhookJob job : all) {
                onAccepted.accept(job.id());
                if (!job.id().equals("t-7")) {
                  post(job);
                }
                if (job.id().equals("t-3")) {
                  post(job);
                }
              }
            }

            @Override
            public long failed() {
              return 0;
            }
          };

      DeliverFigures figures =
          new DeliveryRun(Duration.ofMillis(500), Duration.ofMillis(50), console)
              .measure("fake", sink, jobs, system);

      assertThat(figures.system()).isEqualTo("fake");
      assertThat(figures.jobs()).isEqualTo(20);
      assertThat(figures.accounting()).isEqualTo(new DeliveryAccounting(20, 19, 1, 1, 0));
      assertThat(figures.seconds()).isPositive();
      assertThat(figures.deliveriesPerSec()).isEqualTo(19 / figures.seconds());
      assertThat(figures.timeline()).isNotEmpty();
      assertThat(figures.timeline().getLast().delivered()).isEqualTo(19);
    }
  }

  @Test
  void jobsSpreadOverTheSinkUrls() {
    List<URI> urls =
        List.of(URI.create("http://127.0.0.1:1/h"), URI.create("http://127.0.0.2:1/h"));

    List<WebhookJob> jobs = WebhookJob.spread("p", 3, urls, "b");

    assertThat(jobs).extracting(WebhookJob::id).containsExactly("p-0", "p-1", "p-2");
    assertThat(jobs)
        .extracting(WebhookJob::url)
        .containsExactly("http://127.0.0.1:1/h", "http://127.0.0.2:1/h", "http://127.0.0.1:1/h");
    assertThat(jobs.getFirst().json()).contains("\"id\":\"p-0\"");
  }

  private void post(WebhookJob job) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(job.url()))
            .header("webhook-id", job.id())
            .POST(HttpRequest.BodyPublishers.ofString(job.body()))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
