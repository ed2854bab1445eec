package dev.shardhook.node.http;

import dev.shardhook.node.queue.QueuePolicies;
import dev.shardhook.node.queue.QueueService;
import dev.shardhook.node.store.JobStore;
import java.util.function.ToIntBiFunction;

/**
 * What the queue endpoints (README, "Queues") need from the node.
 *
 * @param service the replicated writes
 * @param policies configurations as the store holds them
 * @param store counts and lists
 * @param running a queue's jobs queued for delivery or running on this node (tenant, queue)
 */
public record QueueBackend(
    QueueService service,
    QueuePolicies policies,
    JobStore store,
    ToIntBiFunction<String, String> running) {}
