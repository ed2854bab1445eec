/**
 * The Shardhook Java SDK: the wire model of the job API and a client for it.
 *
 * <ul>
 *   <li>{@link dev.shardhook.client.ShardhookClient}: submit, read, cancel and await jobs, with
 *       safe retries ({@link dev.shardhook.client.ClientRetryConfig}) and endpoint failover.
 *   <li>{@link dev.shardhook.client.JobRequest}: what to deliver, built and checked with {@link
 *       dev.shardhook.client.JobRequest#builder(java.net.URI)}.
 *   <li>{@link dev.shardhook.client.Job}, {@link dev.shardhook.client.JobStatus}, {@link
 *       dev.shardhook.client.Attempt}, {@link dev.shardhook.client.RetrySpec}, {@link
 *       dev.shardhook.client.BatchItemResult}, {@link dev.shardhook.client.Problem}: the JSON the
 *       API speaks; {@link dev.shardhook.client.SubmitResult}: one item of a batch submit.
 *   <li>{@link dev.shardhook.client.ShardhookException}: every failure, one nested subclass per
 *       kind.
 *   <li>{@link dev.shardhook.client.WebhookVerifier}: for receivers, checks the Standard Webhooks
 *       signature of a delivery.
 * </ul>
 *
 * Everything else here is package-private; {@code dev.shardhook.client.internal} holds code shared
 * with the node and proxy and is not an API.
 */
package dev.shardhook.client;
