package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListingChecksTest {
  private static String page(String next, String partial, String... jobs) {
    StringBuilder out = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < jobs.length; i++) {
      String[] f = jobs[i].split(" ");
      out.append(i == 0 ? "" : ",")
          .append("{\"id\":\"")
          .append(f[0])
          .append("\",\"createdAt\":\"")
          .append(f[1])
          .append("\",\"url\":\"http://")
          .append(f[2])
          .append(":9/hook\"}");
    }
    out.append("],\"nextCursor\":").append(next == null ? "null" : "\"" + next + "\"");
    if (partial != null) {
      out.append(",\"partial\":[\"").append(partial).append("\"]");
    }
    return out.append('}').toString();
  }

  private static final String T2 = "2030-01-01T00:00:02Z";
  private static final String T1 = "2030-01-01T00:00:01Z";

  @Test
  void aGoodWalkHasNoProblems() {
    ListingChecks checks = new ListingChecks();
    checks.walk(checks.parse(200, page("c1", null, "b " + T2 + " h", "a " + T2 + " h")), 2);
    checks.walk(checks.parse(200, page(null, null, "z " + T1 + " h")), 1);

    assertThat(checks.problems()).isZero();
    assertThat(checks.pages()).isEqualTo(2);
    assertThat(checks.jobs()).isEqualTo(3);
  }

  @Test
  void countsRepeatsDisorderShortPartialAndForeignPages() {
    ListingChecks checks = new ListingChecks();
    // Out of order within the page (a before b at the same time), one job short, partial.
    checks.walk(checks.parse(200, page("c1", "shard-1", "a " + T2 + " h", "b " + T2 + " h")), 3);
    assertThat(checks.problems()).isEqualTo(3);
    // b again, and newer than the last job of the page before.
    checks.walk(checks.parse(200, page(null, null, "b " + T2 + " h")), 1);
    assertThat(checks.problems()).isEqualTo(5);
    // A job on another host in a filtered page.
    checks.page(checks.parse(200, page(null, null, "x " + T1 + " other")), 1, "h");
    assertThat(checks.problems()).isEqualTo(6);
    assertThat(checks.parse(503, "{}")).isNull();
    assertThat(checks.parse(200, "not json")).isNull();
    assertThat(checks.problems()).isEqualTo(8);
    assertThat(checks.samples()).hasSize(5).anySatisfy(s -> assertThat(s).contains("out of order"));
  }

  @Test
  void everyTenthJobIsOnTheRareHost() {
    assertThat(ListCommand.rareJobs(20_000)).isEqualTo(2_000);
    assertThat(ListCommand.rareJobs(1)).isEqualTo(1);
    assertThat(ListCommand.rareJobs(11)).isEqualTo(2);
  }
}
