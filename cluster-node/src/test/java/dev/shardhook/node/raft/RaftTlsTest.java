package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeStatus;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.testing.TestShard;
import dev.shardhook.node.testing.TestTls;
import dev.shardhook.support.tls.TlsIdentity;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With TLS on, the shard's Raft gRPC port is mutual TLS: a Raft client (or a would-be peer) without
 * a certificate from the shard's CA cannot send it a command, and the shard's state does not
 * change; one with such a certificate can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RaftTlsTest {
  @TempDir static Path dir;

  private TestTls pki;
  private TestShard shard;
  private TlsIdentity friend;
  private TlsIdentity stranger;

  @BeforeAll
  void start() {
    pki = TestTls.newCa(dir.resolve("pki"), "shard-ca");
    var nodeFiles = pki.issue("node");
    shard = TestShard.start(dir.resolve("shard"), b -> b.tls(nodeFiles));
    friend = TlsIdentity.load(pki.issue("friend"));
    stranger = TlsIdentity.load(TestTls.newCa(dir.resolve("other"), "other-ca").issue("stranger"));
  }

  @AfterAll
  void stop() {
    shard.close();
    friend.close();
    stranger.close();
  }

  @Test
  void aClientWithoutTlsCannotSendACommand() throws Exception {
    assertRefusedAndNothingChanged("no-tls", new Parameters());
  }

  @Test
  void aClientWithACertificateFromAnotherCaCannotSendACommand() throws Exception {
    // It trusts the shard's CA and sends its certificate even though the shard asks for one from
    // its own CA, so only the shard's check of that certificate can stop it.
    assertRefusedAndNothingChanged(
        "stranger",
        tls(new GrpcTlsConfig(new Insistent(stranger.keyManager()), friend.trustManager(), true)));
  }

  @Test
  void aClientWithACertificateFromTheShardsCaCanSendOne() throws Exception {
    int leader = shard.awaitLeader();
    long storedBefore = shard.node(leader).status().stored();

    try (RaftClient client =
        client(tls(new GrpcTlsConfig(friend.keyManager(), friend.trustManager(), true)))) {
      RaftClientReply reply = client.async().send(submit("friend-1")).get(30, TimeUnit.SECONDS);

      assertThat(reply.isSuccess()).isTrue();
      assertThat(CommandCodec.submitResults(reply.getMessage().getContent()))
          .extracting(SubmitResult::kind)
          .containsExactly(SubmitResult.Kind.CREATED);
    }
    assertThat(shard.node(leader).status().stored()).isEqualTo(storedBefore + 1);
  }

  private void assertRefusedAndNothingChanged(String id, Parameters parameters) throws Exception {
    int leader = shard.awaitLeader();
    NodeStatus before = shard.node(leader).status();

    try (RaftClient client = client(parameters)) {
      // refused at the connection (gRPC UNAVAILABLE), not by Raft
      assertThatThrownBy(() -> client.io().send(submit(id))).hasStackTraceContaining("UNAVAILABLE");
    }

    // The commit index may move meanwhile (Ratis's own entries); the job count may not.
    NodeStatus after = shard.node(leader).status();
    assertThat(after.stored()).isEqualTo(before.stored());
  }

  /** Offers its one certificate whatever CAs the server asks for. */
  private static final class Insistent extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;
    private final String alias;

    Insistent(X509ExtendedKeyManager keys) {
      this.keys = keys;
      this.alias = keys.getClientAliases("EC", null)[0];
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {alias};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return alias;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivateKey(alias);
    }
  }

  private static Message submit(String id) {
    return CommandCodec.proposal(
        new Command.Submit(0, 0, List.of(), List.of(EntryApplierTest.newJob(id, null, "f"))));
  }

  private static Parameters tls(GrpcTlsConfig conf) {
    Parameters p = new Parameters();
    GrpcConfigKeys.TLS.setConf(p, conf);
    return p;
  }

  /** A Raft client of the shard's group that gives up after a few short tries. */
  private RaftClient client(Parameters parameters) {
    NodeConfig any = shard.node(0).config();
    List<RaftPeer> peers =
        any.peers().stream()
            .map(p -> RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build())
            .toList();
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        properties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setProperties(properties)
        .setParameters(parameters)
        .setRaftGroup(RaftGroup.valueOf(RaftShard.groupId(any.shardId()), peers))
        // a few tries, so that a client that can talk to the group finds its leader
        .setRetryPolicy(
            RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                5, TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)))
        .build();
  }
}
