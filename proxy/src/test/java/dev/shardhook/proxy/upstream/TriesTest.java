package dev.shardhook.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.api.problem.BadGatewayException;
import dev.shardhook.api.problem.ShardUnavailableException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriesTest {
  private static final NodeAnswer NO_LEADER =
      new NodeAnswer(503, "application/problem+json", new byte[0], Map.of());

  @Test
  void aRequestThatMustNotBeSentTwiceStopsOnceANodeMayHaveActedOnIt() {
    Tries cancel = new Tries("s", NodeRequest.delete("/jobs/a", Credentials.NONE));
    Tries lookup = new Tries("s", NodeRequest.get("/jobs/a", Credentials.NONE));

    cancel.failed(new Attempt.Unreachable());
    assertThat(cancel.mayTryAnother()).as("a refused connection never reached the node").isTrue();
    cancel.failed(new Attempt.Garbled("http://h:1: connection reset"));
    lookup.failed(new Attempt.Garbled("http://h:1: connection reset"));

    assertThat(cancel.mayTryAnother()).isFalse();
    assertThat(lookup.mayTryAnother()).isTrue();
  }

  @Test
  void withNoAnswerLeftA503WinsOverGarbage() {
    Tries tries = new Tries("s", NodeRequest.get("/jobs/a", Credentials.NONE));
    tries.failed(new Attempt.NoLeader(NO_LEADER));
    tries.failed(new Attempt.Garbled("http://h:2: answered 200 with text/html"));

    assertThat(tries.exhausted()).isSameAs(NO_LEADER);
  }

  @Test
  void garbageAloneIsABadGatewayNamingTheLastOne() {
    Tries tries = new Tries("s", NodeRequest.get("/jobs/a", Credentials.NONE));
    tries.failed(new Attempt.Garbled("http://h:1: reset"));
    tries.failed(new Attempt.Garbled("http://h:2: answered 200 with text/html"));

    assertThatThrownBy(tries::exhausted)
        .isInstanceOf(BadGatewayException.class)
        .hasMessage(
            "no valid answer from shard 's'; last: http://h:2: answered 200 with text/html");
  }

  @Test
  void noNodeReachedIsAnUntouchedShardUnavailable() {
    Tries tries = new Tries("s", NodeRequest.post("/jobs", new byte[0], null, Credentials.NONE));
    tries.failed(new Attempt.Unreachable());

    assertThatThrownBy(tries::exhausted)
        .isInstanceOf(ShardUnavailableException.class)
        .hasMessage("no node of shard 's' is reachable; try again shortly")
        .satisfies(e -> assertThat(((ShardUnavailableException) e).untouched()).isTrue());
  }
}
