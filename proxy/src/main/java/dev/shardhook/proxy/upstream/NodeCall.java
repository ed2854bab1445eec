package dev.shardhook.proxy.upstream;

import dev.shardhook.support.auth.Authenticator;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The forwarding stage that sends: one request to one node, its answer read whole. */
final class NodeCall {
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;

  NodeCall(OkHttpClient http) {
    this.http = http;
  }

  /** Never throws for I/O: a failure is part of what was sent, for the stages after this one. */
  Sent send(UpstreamNode node, NodeRequest request, long timeoutNanos) {
    long start = System.nanoTime();
    try {
      return Sent.answered(call(node, request, timeoutNanos), System.nanoTime() - start);
    } catch (IOException e) {
      return Sent.failed(e, System.nanoTime() - start);
    }
  }

  private NodeAnswer call(UpstreamNode node, NodeRequest request, long timeoutNanos)
      throws IOException {
    Request.Builder proxyToNodeRequest =
        new Request.Builder()
            .url(node.resolve(request.path()))
            .header("Accept", "application/json");
    if (request.idempotencyKey() != null) {
      proxyToNodeRequest.header("Idempotency-Key", request.idempotencyKey());
    }
    Credentials credentials = request.credentials();
    if (credentials.authorization() != null) {
      proxyToNodeRequest.header("Authorization", credentials.authorization());
    }
    if (credentials.tenant() != null) {
      proxyToNodeRequest.header(Authenticator.TENANT_HEADER, credentials.tenant());
    }
    RequestBody body = request.body() == null ? null : RequestBody.create(request.body(), JSON);
    proxyToNodeRequest.method(request.method(), body);
    Call call = http.newCall(proxyToNodeRequest.build());
    call.timeout().timeout(timeoutNanos, TimeUnit.NANOSECONDS);
    try (Response nodeToProxyResponse = call.execute()) {
      return NodeAnswer.read(nodeToProxyResponse);
    }
  }
}
