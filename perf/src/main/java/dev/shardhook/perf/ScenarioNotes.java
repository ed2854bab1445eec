package dev.shardhook.perf;

/**
 * The "what this measures" section of each scenario's {@code report.md} (perf/README.md has more).
 */
final class ScenarioNotes {
  private ScenarioNotes() {}

  static String of(String scenario) {
    return switch (scenario) {
      case "accept" ->
          """
          Closed-loop clients post one job each (due in 30 days, so nothing is delivered) through \
          the entry and wait for the answer before posting the next: ops/s are `201`s per second \
          in the measured time, latency is that of the `201`s. An acknowledged job is replicated \
          on a quorum of its shard and fsynced. The etcd baseline runs the same closed loop with \
          one put per operation (a new key, the same JSON document as value) against three etcd \
          members on loopback, each with its own data directory and etcd's fsynced WAL; it runs \
          after the sandbox was stopped. Not measured: delivery, mixed reads, more than one \
          proxy, network latency between machines (all on loopback, load generator on the same \
          cores).
          """;
      case "deliver" ->
          """
          A webhook sink (Jetty, a fixed latency per request) receives N jobs that were all \
          submitted at once (Shardhook: `POST /jobs:batch`; db-scheduler: `scheduleBatch`). \
          Throughput is deliveries of distinct jobs per second from the first submission to the \
          last first delivery, so submission is inside the measured time for both. The bound is \
          workers ÷ latency (Shardhook's workers in total, db-scheduler's threads: the same \
          number); efficiency is throughput ÷ bound. Lost = acknowledged but never delivered; \
          duplicates = deliveries beyond the first of a job. db-scheduler runs on one PostgreSQL \
          (fsync on, not replicated) started for the run; Shardhook replicates every job and \
          outcome on three nodes. Not measured: retries, slow or failing receivers, many \
          destinations (the node limits concurrency per host; the sink listens on enough \
          loopback addresses that this limit does not bind).
          """;
      case "failover" ->
          """
          Steady load (a fixed rate of jobs due at once) goes through the entry while the leader \
          of a shard is killed with SIGKILL, K times (shards in turn); with `--freeze-ms N` it is \
          frozen with SIGSTOP instead and resumed with SIGCONT N ms later, as a long GC pause or \
          a partition would. Resume is the time from the kill to the first job accepted on that \
          shard by a request sent after the kill, and to the first delivery of one of its jobs \
          arriving after the kill, whichever is later. A dead node is restarted (`sandbox up` on \
          the same data) once the shard resumed, before the next kill. Lost = acknowledged but \
          never delivered after the load stopped and the backlog drained; duplicates = repeated \
          deliveries (at-least-once: attempts in flight on the old leader run again); in flight \
          at kill = the leader's `running` (`GET /status`) just before each kill or freeze, \
          summed; duplicates per in-flight should stay at or below 1. Not measured: network \
          partitions, killing followers or proxies, losing a majority.
          """;
      case "history" ->
          """
          PostgreSQL (fsync on) is started for the run and every node of the sandbox exports its \
          finished jobs to it (`SHARDHOOK_HISTORY_JDBC_URL`; only a shard's leader writes). N jobs \
          due at once are submitted as fast as `POST /jobs:batch` takes them, to a sink that \
          answers 200 at once; every node's `/metrics` is read every 200 ms. Accepted/s = \
          acknowledged jobs ÷ time to the last answer; delivered/s = distinct jobs ÷ time to the \
          last first delivery; export rows/s = acknowledged jobs ÷ time until the nodes' \
          `shardhook_history_exported_jobs_total` grew by as many (all from the first \
          submission; a job is exported only once it finished, so export can never be faster \
          than delivery here). Keeps up = the last row was exported within 2 s of the last \
          delivery. Drain: PostgreSQL is stopped while another N jobs are accepted and delivered, \
          then started again; rows/s from the first row exported after the restart to the last \
          is the exporter's own rate on a backlog. After each phase the rows are counted in \
          PostgreSQL: every acknowledged job exactly once, SUCCEEDED, with its attempt. Not \
          measured: failing receivers (more attempts per job), \
          large response bodies, several shards sharing one database on separate machines.
          """;
      case "list" ->
          """
          N jobs are stored through the proxy (due in a year, so nothing is delivered; one in ten \
          for host `localhost`), then `GET /jobs` is timed through the proxy one request at a \
          time: first pages, first pages filtered by `host=localhost`, and pages reached by \
          following cursors from the first page. The proxy asks every shard's leader in \
          parallel and merges; every answer is checked (full page, newest first, no repeat, no \
          `partial`). Not measured: concurrent listers, status filters, pages beyond the walk, \
          listing while jobs are accepted.
          """;
      case "scale" ->
          """
          The accept and deliver scenarios against sandboxes of each shard count in turn (no \
          baselines). Scaling efficiency = throughput(N) ÷ (N × throughput(1)); 1.0 is linear. \
          Every node, proxy, sink and load generator shares the machine's cores, so on a small \
          machine more shards only split the same CPU and the figure says little: it is meant \
          for a machine with several cores per node. Not measured: baselines, more than one \
          proxy (the single proxy may become the limit first), shards on separate machines.
          """;
      default -> "";
    };
  }
}
