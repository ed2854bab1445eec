/**
 * The Shardhook Java SDK: the wire model of the job API and a client for it.
 *
 * <ul>
 *   <li>{@link dev.shardhook.client.ShardhookClient}: submit, read, cancel and await jobs, with
 *       safe retries ({@link dev.shardhook.client.ClientRetryConfig}) and endpoint failover.
 *   <li>{@link dev.shardhook.api.JobRequest} (in the {@code api} module): what to deliver, built
 *       and checked with {@link dev.shardhook.api.JobRequest#builder(java.net.URI)}.
 *   <li>{@link dev.shardhook.api.Job}, {@link dev.shardhook.api.JobStatus}, {@link
 *       dev.shardhook.api.Attempt}, {@link dev.shardhook.api.RetrySpec}, {@link
 *       dev.shardhook.api.BatchItemResult}, {@link dev.shardhook.api.Problem}: the JSON the API
 *       speaks, from the {@code api} module that the node and proxy share; {@link
 *       dev.shardhook.client.SubmitResult}: one item of a batch submit.
 *   <li>{@link dev.shardhook.client.ShardhookException}: every failure, one nested subclass per
 *       kind.
 *   <li>{@link dev.shardhook.client.WebhookVerifier}: for receivers, checks the Standard Webhooks
 *       signature of a delivery.
 * </ul>
 *
 * Everything else here is package-private.
 */
package dev.shardhook.client;
