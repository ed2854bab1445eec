"""`status`: every node, proxy and HAProxy with its PID, liveness and /ready; nodes also with
role, leader and Raft lag."""
from . import pids, topology_file
from .console import fail
from .probes import probe_all

NODE_ROW = "%-9s %-11s %-24s %-8s %-6s %-6s %-10s %-11s %s"
FRONT_ROW = "%-9s %-11s %-24s %-8s %-6s %-6s"


def run(sandbox, options):
    """Prints the table; 0 only when every process is alive and ready and every shard has a
    leader."""
    if not sandbox.has_topology():
        raise fail("no sandbox in %s (no sandbox.json)" % sandbox.data)
    layout = topology_file.read(sandbox.topology, sandbox.data)
    all_up = True
    tls_context = sandbox.tls_context(layout)
    probes = probe_all([n.url for n in layout.nodes], tls_context)
    print("sandbox %s   entry %s" % (sandbox.data, layout.entry))
    print(NODE_ROW % ("SHARD", "NODE", "URL", "PID", "STATE", "READY", "ROLE", "LEADER", "LAG"))
    lag_of = leader_view_of_lags(layout, probes)
    leaders = set()
    for node, probe in zip(layout.nodes, probes):
        alive = pids.is_node(node.pid, sandbox.data, node)
        all_up = all_up and alive and probe.is_ready
        if probe.role == "LEADER":
            leaders.add(node.shard)
        lag = lag_of.get(node.id, probe.own_lag)
        if probe.stalled:
            lag += " stalled"
        print(
            NODE_ROW
            % (
                node.shard,
                node.id,
                node.url,
                _pid(node.pid),
                _state(alive),
                probe.ready,
                probe.role,
                probe.leader,
                lag,
            )
        )
    for shard in layout.shard_ids():
        if shard not in leaders:
            print("%s has no leader" % shard)
            all_up = False
    front = layout.proxies + ([layout.haproxy] if layout.haproxy else [])
    for process, probe in zip(front, probe_all([p.url for p in front], tls_context)):
        if process is layout.haproxy:
            kind, alive = "haproxy", pids.is_haproxy(process.pid, sandbox.data)
        else:
            kind, alive = "proxy", pids.is_proxy(process.pid, sandbox.data, process)
        all_up = all_up and alive and probe.is_ready
        print(
            FRONT_ROW
            % (kind, process.id, process.url, _pid(process.pid), _state(alive), probe.ready)
        )
    return 0 if all_up else 1


def leader_view_of_lags(layout, probes):
    """LAG: committed entries a node lacks, as its shard's leader sees it (its log). Nodes that no
    leader reports show their own view (applied vs the leader's commit)."""
    lag_of = {}
    for node, probe in zip(layout.nodes, probes):
        if probe.role == "LEADER":
            lag_of[node.id] = "0"
            lag_of.update((follower, str(lag)) for follower, lag in probe.follower_lags)
    return lag_of


def _pid(pid):
    return "-" if pid is None else str(pid)


def _state(alive):
    return "alive" if alive else "dead"
