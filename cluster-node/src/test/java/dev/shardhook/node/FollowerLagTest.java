package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that is down while its leader commits shows on the leader as growing lag, in {@code
 * /status} and in {@code shardhook_raft_follower_lag}; once it is back it catches up and the lag
 * returns to zero.
 */
class FollowerLagTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  // Due a month from now: nothing is delivered while the test runs.
  private static final long A_MONTH_MS = Duration.ofDays(30).toMillis();

  @TempDir Path dir;

  @Test
  void leaderReportsAStoppedFollowersGrowingLagAndItsCatchUp() {
    shard = TestShard.start(dir, b -> b);
    int leader = shard.awaitLeader();
    int follower = shard.follower(leader);
    String followerId = shard.node(follower).config().nodeId();
    String base = shard.url(leader);
    submit(base, 3);
    await("both followers caught up")
        .atMost(TIMEOUT)
        .until(
            () ->
                followers(base).size() == 2
                    && followers(base).findValuesAsText("lag").stream().allMatch("0"::equals));

    shard.stop(follower);
    submit(base, 20);

    JsonNode leaderStatus = status(base);
    JsonNode behind = follower(leaderStatus, followerId);
    assertThat(behind.get("lag").asLong()).isGreaterThanOrEqualTo(20);
    assertThat(behind.get("lastContactMs").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(behind.get("matchIndex").asLong() + behind.get("lag").asLong())
        .isEqualTo(leaderStatus.get("commitIndex").asLong());
    assertThat(metricLag(base, followerId)).isGreaterThanOrEqualTo(20);

    submit(base, 10);
    assertThat(follower(base, followerId).get("lag").asLong())
        .isGreaterThan(behind.get("lag").asLong());

    shard.start(follower);
    await("the restarted follower caught up")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> follower(base, followerId).get("lag").asLong() == 0);
    assertThat(metricLag(base, followerId)).isZero();
    JsonNode own = status(shard.url(follower));
    await("the follower applied the leader's commits")
        .atMost(TIMEOUT)
        .until(
            () ->
                status(shard.url(follower)).get("appliedIndex").asLong()
                    >= status(base).get("commitIndex").asLong());
    assertThat(own.get("stalled").asBoolean()).isFalse();
    assertThat(client.get(shard.url(follower) + "/ready").statusCode()).isEqualTo(200);
    // the leader itself is not anyone's follower
    assertThat(status(base).get("lag").asLong()).isZero();
  }

  private void submit(String base, int n) {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          client.post(
              base + "/jobs",
              "{\"url\":\"https://receiver.example/hook\",\"delayMs\":" + A_MONTH_MS + "}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
  }

  private JsonNode status(String base) {
    HttpResponse<String> r = client.get(base + "/status");
    assertThat(r.statusCode()).isEqualTo(200);
    return NodeClient.tree(r.body());
  }

  private JsonNode followers(String base) {
    return status(base).get("followers");
  }

  private JsonNode follower(String base, String id) {
    return follower(status(base), id);
  }

  private static JsonNode follower(JsonNode leaderStatus, String id) {
    for (JsonNode f : leaderStatus.get("followers")) {
      if (f.get("id").asText().equals(id)) {
        return f;
      }
    }
    throw new AssertionError("leader lists no follower " + id + ": " + leaderStatus);
  }

  private double metricLag(String base, String id) {
    String body = client.get(base + "/metrics").body();
    Matcher m =
        Pattern.compile("(?m)^shardhook_raft_follower_lag\\{follower=\"" + id + "\"[^}]*} (\\S+)$")
            .matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
