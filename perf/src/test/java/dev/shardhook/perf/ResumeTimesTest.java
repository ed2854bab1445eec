package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumeTimesTest {
  private static final long S = 1_000_000_000L;
  private static final long KILL = 100 * S;
  private static final long DEAD = KILL + S / 100;

  @Test
  void firstAcceptAndFirstDeliveryOnTheShardAfterTheKill() {
    List<ResumeTimes.Accepted> accepted =
        List.of(
            new ResumeTimes.Accepted("before", "s0", KILL - S, KILL - S / 2),
            new ResumeTimes.Accepted("other-shard", "s1", KILL + S, KILL + S + S / 10),
            new ResumeTimes.Accepted("late", "s0", KILL + 3 * S, KILL + 4 * S),
            new ResumeTimes.Accepted("first", "s0", KILL + 2 * S, KILL + 2 * S + S / 2));
    List<ResumeTimes.Receipt> receipts =
        List.of(
            new ResumeTimes.Receipt("before", KILL - S / 4),
            new ResumeTimes.Receipt("other-shard", KILL + S + S / 5),
            new ResumeTimes.Receipt("first", KILL + 3 * S));
    Map<String, String> shards =
        Map.of("before", "s0", "other-shard", "s1", "late", "s0", "first", "s0");

    ResumeTimes.Resume resume = ResumeTimes.after(KILL, DEAD, "s0", accepted, receipts, shards);

    assertThat(resume.acceptSeconds()).isCloseTo(2.5, within(1e-9));
    assertThat(resume.deliverySeconds()).isCloseTo(3.0, within(1e-9));
    assertThat(resume.seconds()).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void anAnswerToARequestSentBeforeTheNodeDiedIsNotAResumption() {
    // The old leader had committed it; its answer only arrives after the kill.
    List<ResumeTimes.Accepted> accepted =
        List.of(
            new ResumeTimes.Accepted("in-flight", "s0", KILL - S / 1000, KILL + S / 2),
            new ResumeTimes.Accepted("new", "s0", KILL + S, KILL + 2 * S));

    ResumeTimes.Resume resume = ResumeTimes.after(KILL, DEAD, "s0", accepted, List.of(), Map.of());

    assertThat(resume.acceptSeconds()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void aRedeliveryOfAnOldJobByTheNewLeaderCountsAsDelivery() {
    List<ResumeTimes.Receipt> receipts = List.of(new ResumeTimes.Receipt("old", KILL + 2 * S));

    ResumeTimes.Resume resume =
        ResumeTimes.after(KILL, DEAD, "s0", List.of(), receipts, Map.of("old", "s0"));

    assertThat(resume.deliverySeconds()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void neverResumedIsUnknown() {
    ResumeTimes.Resume resume =
        ResumeTimes.after(
            KILL,
            DEAD,
            "s0",
            List.of(new ResumeTimes.Accepted("a", "s0", KILL + S, KILL + 2 * S)),
            List.of(),
            Map.of("a", "s0"));

    assertThat(resume.acceptSeconds()).isCloseTo(2.0, within(1e-9));
    assertThat(resume.deliverySeconds()).isNaN();
    assertThat(resume.seconds()).isNaN();
  }

  @Test
  void deliveriesOfJobsWithUnknownShardAreIgnored() {
    ResumeTimes.Resume resume =
        ResumeTimes.after(
            KILL, DEAD, "s0", List.of(), List.of(new ResumeTimes.Receipt("?", KILL + S)), Map.of());

    assertThat(resume.deliverySeconds()).isNaN();
  }
}
