package dev.shardhook.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The body of {@code POST /jobs}: the HTTP request Shardhook should make, and when and how often.
 *
 * @param url the receiver, http or https (required)
 * @param method POST (default), GET, PUT, PATCH or DELETE
 * @param headers headers sent with every attempt
 * @param body the request body, sent as is
 * @param id the job's id; generated when absent (or derived from the idempotency key)
 * @param idempotencyKey makes re-submissions safe; the {@code Idempotency-Key} header sets it too
 * @param runAt first attempt not before this instant (RFC 3339)
 * @param delayMs first attempt after this delay; exclusive with {@code runAt}
 * @param timeoutMs per-attempt timeout
 * @param retry retry policy; absent fields take the shard's defaults
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    String url,
    String method,
    Map<String, String> headers,
    String body,
    String id,
    String idempotencyKey,
    Instant runAt,
    Long delayMs,
    Long timeoutMs,
    RetrySpec retry) {}
