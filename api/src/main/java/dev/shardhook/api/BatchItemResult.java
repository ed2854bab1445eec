package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One element of the {@code POST /jobs:batch} answer, in request order: the status a single {@code
 * POST /jobs} would have answered, and either the job or the problem.
 *
 * @param status 201 created, 200 replayed, or the 4xx/5xx of the problem
 * @param job the job, when accepted or replayed
 * @param problem what went wrong otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchItemResult(int status, Job job, Problem problem) {}
