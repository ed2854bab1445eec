package dev.shardhook.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.problem.BadRequestException;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {
  @Test
  void anEmptyFilterTakesFailedJobsAndHostsAreLowerCase() throws Exception {
    ReplayFilter empty = WireJson.mapper().readValue("{}", ReplayFilter.class).resolved();
    ReplayFilter host =
        WireJson.mapper()
            .readValue("{\"status\":\"CANCELLED\",\"host\":\"Example.COM\"}", ReplayFilter.class)
            .resolved();

    assertThat(empty.status()).isEqualTo(JobStatus.FAILED);
    assertThat(host.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(host.host()).isEqualTo("example.com");
    assertThat(WireJson.mapper().writeValueAsString(empty)).isEqualTo("{\"status\":\"FAILED\"}");
  }

  @Test
  void otherStatusesAndBadValuesAreBadRequests() {
    for (JobStatus status :
        new JobStatus[] {JobStatus.PENDING, JobStatus.RUNNING, JobStatus.SUCCEEDED}) {
      assertThatThrownBy(() -> new ReplayFilter(status, null, null, null, null).resolved())
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining(status.name());
    }
    assertThatThrownBy(() -> new ReplayFilter(null, "", null, null, null).resolved())
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> new ReplayFilter(null, null, null, null, "\n").resolved())
        .isInstanceOf(BadRequestException.class);
  }
}
