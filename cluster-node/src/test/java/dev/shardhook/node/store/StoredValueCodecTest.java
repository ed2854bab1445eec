package dev.shardhook.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredValueCodecTest {
  @TempDir Path dir;

  static List<StoredJob> storedJobs() {
    return List.of(
        new StoredJob(JobSamples.fullJob("{\"n\":1}\n\u2603"), "fp-\u00e9"),
        new StoredJob(JobSamples.fullJob(JobSamples.largeBody()), "fp"),
        new StoredJob(JobSamples.bareJob(), null),
        new StoredJob(JobSamples.emptyStringsJob(), ""),
        new StoredJob(JobSamples.capturedJob(), "fp-\u00e9"),
        new StoredJob(JobSamples.replayedJob(), "fp-r"),
        new StoredJob(JobSamples.policyJob(), "fp-q"));
  }

  static List<IdempotencyRecord> records() {
    return List.of(
        new IdempotencyRecord("job-\u65e5", "fp", 1_760_086_400_123L),
        new IdempotencyRecord(null, null, Long.MIN_VALUE),
        new IdempotencyRecord("", "", 0));
  }

  @Test
  void storedJobsRoundTrip() throws Exception {
    for (StoredJob stored : storedJobs()) {
      StoredJob back = StoredValueCodec.decodeJob(StoredValueCodec.encode(stored));
      assertThat(back).isEqualTo(stored);
      assertThat(back.job().headers().keySet())
          .containsExactlyElementsOf(stored.job().headers().keySet());
    }
  }

  @Test
  void jobsWithAQueueOrOrderingKeyAreStoredInFormat4AndOthersAsBefore() throws Exception {
    assertThat(StoredValueCodec.encode(new StoredJob(JobSamples.policyJob(), "fp"))[0])
        .isEqualTo((byte) StoredValueCodec.VERSION_WITH_POLICY);
    assertThat(StoredValueCodec.encode(new StoredJob(JobSamples.replayedJob(), "fp"))[0])
        .isEqualTo((byte) StoredValueCodec.VERSION_WITH_REPLAY);
    StoredJob back =
        StoredValueCodec.decodeJob(
            StoredValueCodec.encode(new StoredJob(JobSamples.policyJob(), "fp")));
    assertThat(back.job().queue()).isEqualTo("billing-\u00e9u");
    assertThat(back.job().orderingKey()).isEqualTo("customer:42/\u00e9");
    assertThat(StoredValueCodec.decodeJob(StoredValueCodec.encode(storedJobs().get(0))).job())
        .extracting(j -> j.queue(), j -> j.orderingKey())
        .containsExactly("default", null);
  }

  @Test
  void idempotencyRecordsRoundTrip() throws Exception {
    for (IdempotencyRecord record : records()) {
      assertThat(StoredValueCodec.decodeIdempotency(StoredValueCodec.encode(record)))
          .isEqualTo(record);
    }
  }

  @Test
  void encodingIsDeterministic() throws Exception {
    for (StoredJob stored : storedJobs()) {
      byte[] first = StoredValueCodec.encode(stored);
      assertThat(StoredValueCodec.encode(stored)).isEqualTo(first);
      assertThat(StoredValueCodec.encode(StoredValueCodec.decodeJob(first))).isEqualTo(first);
    }
    for (IdempotencyRecord record : records()) {
      assertThat(StoredValueCodec.encode(record)).isEqualTo(StoredValueCodec.encode(record));
    }
  }

  /** A value stored before the node had its own job model: the store format is unchanged. */
  @Test
  void valuesStoredByEarlierBuildsDecodeToTheSameBytes() throws Exception {
    byte[] earlier;
    try (var in = StoredValueCodecTest.class.getResourceAsStream("stored-job.hex")) {
      earlier =
          HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
    StoredJob stored = storedJobs().get(0);
    assertThat(StoredValueCodec.decodeJob(earlier)).isEqualTo(stored);
    assertThat(StoredValueCodec.encode(stored)).isEqualTo(earlier);
  }

  /**
   * A job whose attempts kept responses is stored in format 2 (this build's golden); jobs that kept
   * none stay in format 1, as earlier builds stored them and can read them.
   */
  @Test
  void jobsWithResponsesAreStoredInFormat2AndDecodeFromItsGolden() throws Exception {
    byte[] golden;
    try (var in = StoredValueCodecTest.class.getResourceAsStream("stored-job-v2.hex")) {
      golden =
          HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
    StoredJob captured = storedJobs().get(4);
    assertThat(golden[0]).isEqualTo((byte) StoredValueCodec.VERSION_WITH_RESPONSES);
    assertThat(StoredValueCodec.decodeJob(golden)).isEqualTo(captured);
    assertThat(StoredValueCodec.encode(captured)).isEqualTo(golden);
    assertThat(StoredValueCodec.encode(storedJobs().get(5))[0])
        .isEqualTo((byte) StoredValueCodec.VERSION_WITH_REPLAY);
    for (StoredJob stored : storedJobs().subList(0, 4)) {
      assertThat(StoredValueCodec.encode(stored)[0]).isEqualTo((byte) StoredValueCodec.VERSION);
    }
    assertThat(StoredValueCodec.decodeJob(StoredValueCodec.encode(captured)).job().attempts())
        .extracting(a -> a.response())
        .containsExactly(
            JobSamples.capturedResponse(), null, new CapturedResponse(null, null, false));
  }

  /**
   * A replayed job is stored in format 3 (this build's golden): format 2 followed by the attempts
   * before the replay and its time. Jobs never replayed keep formats 1 and 2.
   */
  @Test
  void replayedJobsAreStoredInFormat3AndDecodeFromItsGolden() throws Exception {
    byte[] golden;
    try (var in = StoredValueCodecTest.class.getResourceAsStream("stored-job-v3.hex")) {
      golden =
          HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
    StoredJob replayed = storedJobs().get(5);
    assertThat(golden[0]).isEqualTo((byte) StoredValueCodec.VERSION_WITH_REPLAY);
    assertThat(StoredValueCodec.decodeJob(golden)).isEqualTo(replayed);
    assertThat(StoredValueCodec.encode(replayed)).isEqualTo(golden);
    assertThat(StoredValueCodec.decodeJob(golden).job().attemptsBeforeReplay()).isEqualTo(3);
  }

  @Test
  void aValueStartingLikeJsonIsNotAcceptedAnyMore() {
    byte[] json = "{\"job\":{}}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> StoredValueCodec.decodeJob(json))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 123");
    assertThatThrownBy(() -> StoredValueCodec.decodeIdempotency(json))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 123");
  }

  @Test
  void anUnknownVersionOrACorruptValueIsAStoreException() {
    byte[] job = StoredValueCodec.encode(storedJobs().get(0));
    job[0] = 7;
    assertThatThrownBy(() -> StoredValueCodec.decodeJob(job))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 7");
    byte[] record = StoredValueCodec.encode(records().get(0));
    record[0] = 2;
    assertThatThrownBy(() -> StoredValueCodec.decodeIdempotency(record))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("version 2");

    byte[] truncated = StoredValueCodec.encode(storedJobs().get(0));
    assertThatThrownBy(
            () -> StoredValueCodec.decodeJob(Arrays.copyOf(truncated, truncated.length - 3)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("undecodable");
    assertThatThrownBy(() -> StoredValueCodec.decodeJob(new byte[0]))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void theStoreReadsBackWhatItWrote() {
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      try (StoreBatch batch = store.batch()) {
        storedJobs().stream().filter(s -> s.job().id() != null).forEach(batch::putJob);
        batch.putIdempotency("k\u00e9", records().get(0));
        batch.putIdempotency("k2", records().get(1));
        batch.putDue(5, "job-\u00e9");
        batch.commit();
      }
      StoredJob full = storedJobs().get(0);
      JobRecord job = store.job("job-\u00e9").orElseThrow().job();
      // The large-body job has the same id and was written last in the batch.
      assertThat(store.job("job-\u00e9")).contains(storedJobs().get(1));
      assertThat(job.headers().keySet()).containsExactlyElementsOf(full.job().headers().keySet());
      assertThat(store.job("")).contains(storedJobs().get(3));
      assertThat(store.job("missing")).isEmpty();
      assertThat(store.duePage(null, 10, 10, 10, id -> false).jobs())
          .containsExactly(storedJobs().get(1));
      assertThat(store.idempotency("k\u00e9")).contains(records().get(0));
      assertThat(store.idempotency("k2")).contains(records().get(1));
      assertThat(store.idempotency("k3")).isEmpty();
    }
  }
}
