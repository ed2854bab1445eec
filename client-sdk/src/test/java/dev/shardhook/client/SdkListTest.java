package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShardhookClient#list} against a real three-node shard: pages fetched only when iteration
 * reaches them, filters (with values that need URL encoding), newest first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkListTest {
  // Never due while the test runs: jobs stay PENDING unless cancelled, and nothing is delivered.
  private static final Duration HOUR = Duration.ofHours(1);
  private static final String ODD_KEY = "order 7&status=FAILED+x/y?";

  @TempDir static Path dir;

  private final String apiKey = TenantsFixture.newKey();
  private final AtomicInteger listRequests = new AtomicInteger();
  private TestShard shard;
  private ShardhookClient client;
  private final List<String> submitted = new ArrayList<>();

  @BeforeAll
  void start() {
    Path tenants = dir.resolve("tenants.json");
    TenantsFixture.write(
        tenants,
        "{\"tenants\": {\"shop\": {\"keys\": ["
            + TenantsFixture.keyEntry("shop-1", apiKey, "submit")
            + "]}}}");
    shard = TestShard.start(dir, b -> b.insecureNoAuth(false).tenantsFile(tenants));
    OkHttpClient counting =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  if (chain.request().method().equals("GET")
                      && chain.request().url().encodedPath().equals("/jobs")) {
                    listRequests.incrementAndGet();
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    client =
        ShardhookClient.builder()
            .endpoints(IntStream.range(0, 3).mapToObj(i -> URI.create(shard.url(i))).toList())
            .apiKey(apiKey)
            .okHttpClient(counting)
            .build();
    List<JobRequest> jobs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String host = i % 5 == 0 ? "localhost" : "127.0.0.1";
      JobRequest.Builder b =
          JobRequest.builder(URI.create("http://" + host + ":9/hook"))
              .id("sdk-%02d".formatted(i))
              .delay(HOUR);
      if (i == 7) {
        b.idempotencyKey(ODD_KEY);
      }
      jobs.add(b.build());
    }
    client.submitAll(jobs).forEach(r -> submitted.add(r.jobOrThrow().id()));
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (shard != null) {
      shard.close();
    }
  }

  @Test
  void pagesAreFetchedOnlyWhenIterationReachesThem() {
    JobListing listing = client.list(JobQuery.builder().pageSize(10).build());
    int before = listRequests.get();
    Iterator<Job> it = listing.iterator();
    assertThat(listRequests.get()).as("nothing fetched before iterating").isEqualTo(before);

    List<Job> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      seen.add(it.next());
    }
    assertThat(listRequests.get() - before).as("one page for the first ten").isEqualTo(1);
    seen.add(it.next());
    assertThat(listRequests.get() - before).as("the second page on the eleventh").isEqualTo(2);
    it.forEachRemaining(seen::add);
    assertThat(listRequests.get() - before).as("three pages of ten for 25 jobs").isEqualTo(3);

    assertThat(seen).extracting(Job::id).containsExactlyInAnyOrderElementsOf(submitted);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i - 1).createdAt()).isAfterOrEqualTo(seen.get(i).createdAt());
    }
    assertThat(listing.partialShards()).isEmpty();
    assertThat(listing.stream().limit(3).count()).isEqualTo(3);
    assertThat(listRequests.get() - before).as("a short stream reads one page").isEqualTo(4);
  }

  @Test
  void filtersReachTheServerEncoded() {
    assertThat(client.list(JobQuery.builder().host("LocalHost").pageSize(2).build()).stream())
        .extracting(Job::id)
        .containsExactly("sdk-20", "sdk-15", "sdk-10", "sdk-05", "sdk-00");
    assertThat(client.list(JobQuery.builder().idempotencyKey(ODD_KEY).build()).stream())
        .extracting(Job::id)
        .containsExactly("sdk-07");

    client.cancel("sdk-03");
    assertThat(
            client.list(JobQuery.builder().status(JobStatus.CANCELLED).build()).stream()
                .map(Job::id))
        .containsExactly("sdk-03");
    Job newest = client.list(JobQuery.all()).iterator().next();
    // Both bounds are exclusive.
    assertThat(client.list(JobQuery.builder().createdAfter(newest.createdAt()).build())).isEmpty();
    assertThat(
            client
                .list(JobQuery.builder().createdBefore(newest.createdAt().plusMillis(1)).build())
                .stream())
        .hasSize(submitted.size());
  }
}
