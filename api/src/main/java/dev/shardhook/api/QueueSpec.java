package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code PUT /queues/{name}} (README, "Queues"): every field is optional; a PUT
 * replaces the whole configuration, so a field left out takes its default.
 *
 * @param retry retry defaults for the queue's jobs: a job's absent retry fields take these, then
 *     the shard's defaults
 * @param maxConcurrency attempts of the queue's jobs running at once, queue-wide (null = no limit)
 * @param ratePerSecond attempts started per second, queue-wide (null = no limit)
 * @param burst attempts that may start at once after an idle spell (default {@code max(1,
 *     ceil(ratePerSecond))}); needs {@code ratePerSecond}
 * @param paused whether the queue's jobs are held back (default false)
 * @param orderingOnFailure what an ordering key does after one of its jobs failed terminally:
 *     {@code block} (default) or {@code skip}
 * @param onDestinationDisabled what the queue's jobs for a disabled destination do: {@code wait}
 *     (default) or {@code fail}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueSpec(
    RetrySpec retry,
    Integer maxConcurrency,
    Double ratePerSecond,
    Integer burst,
    Boolean paused,
    String orderingOnFailure,
    String onDestinationDisabled) {}
