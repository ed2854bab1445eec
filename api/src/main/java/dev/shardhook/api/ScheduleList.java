package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code GET /schedules}: one page of the caller's schedules, by id.
 *
 * @param schedules the page
 * @param nextCursor pass as {@code cursor} for the next page (the last id of this one); null when
 *     there is none
 * @param partial through a proxy: shards that could not be listed this time; left out when empty
 */
public record ScheduleList(
    List<Schedule> schedules,
    String nextCursor,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partial) {
  public ScheduleList {
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
    partial = partial == null ? List.of() : List.copyOf(partial);
  }
}
