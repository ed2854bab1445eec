"""`up`: starts every node, proxy and HAProxy of the sandbox that is not running, and waits until
they are ready; on failure or interrupt it stops what this run started."""
import os
import signal
import time

from . import jars, pids, topology_file
from .config_files import write_shard_map
from .console import EXIT_PORT_BUSY, Exit, say, usage_error
from .launch import Launcher
from .layout import highest_port, planned
from .log_tail import show as show_log_tail
from .probes import busy, probe_all
from .stopping import Stopper

POLL_SECONDS = 0.5


def run(sandbox, options):
    layout = _layout(sandbox, options)
    nodes = [n for n in layout.nodes if not pids.is_node(n.pid, sandbox.data, n)]
    proxies = [p for p in layout.proxies if not pids.is_proxy(p.pid, sandbox.data, p)]
    haproxy = layout.haproxy is not None and not pids.is_haproxy(layout.haproxy.pid, sandbox.data)
    for process in nodes + proxies + ([layout.haproxy] if haproxy else []):
        process.pid = None
    if not nodes and not proxies and not haproxy:
        say(
            "already running in %s (%d nodes, %d prox(ies));"
            " see: deploy/local/sandbox status --data %s"
            % (sandbox.data, len(layout.nodes), len(layout.proxies), sandbox.data)
        )
        print(layout.entry)
        return 0
    if nodes and len(nodes) < len(layout.nodes):
        say(
            "%d node(s) already running; starting the other %d"
            % (len(layout.nodes) - len(nodes), len(nodes))
        )
    java = jars.find_java()
    jar_files = jars.Jars.from_env()
    jars.build_if_needed(jar_files, options.rebuild)
    _check_ports_free(sandbox, layout, nodes, proxies, haproxy)
    launcher = Launcher(sandbox.data, java, jar_files, options.node_flags(), sandbox.children)
    return _Start(sandbox, layout, launcher).run(nodes, proxies, haproxy, options.wait_seconds)


def _layout(sandbox, options):
    """The existing sandbox's layout, which wins over the flags, or a new one from the flags."""
    if sandbox.has_topology():
        layout = topology_file.read(sandbox.topology, sandbox.data)
        shards, proxies = len(layout.shard_ids()), len(layout.proxies)
        if (
            (options.shards_given and options.shards != shards)
            or (options.proxies_given and options.proxies != proxies)
            or (options.port_given and options.port != layout.entry_port)
        ):
            given = "".join(
                [
                    "--shards %d " % options.shards if options.shards_given else "",
                    "--proxies %d " % options.proxies if options.proxies_given else "",
                    "--port %d " % options.port if options.port_given else "",
                ]
            )
            say(
                "%s already defines %d shard(s) and %d prox(ies) with the entry on port %d;"
                " the existing layout wins (Raft keeps its peer addresses), so %sis ignored."
                " Use another --data (or remove %s) for a"
                " different layout."
                % (sandbox.topology, shards, proxies, layout.entry_port, given, sandbox.data)
            )
        return layout
    if os.path.isdir(os.path.join(sandbox.data, "shard-0-a")):
        say(
            "warning: %s holds node data but no sandbox.json; using the layout from the flags"
            " (if its ports differ from the old ones, Raft recovery may fail)" % sandbox.data
        )
    top = highest_port(options.port, options.shards)
    if top > 65535:
        raise usage_error(
            "--port %d with %d shard(s) needs ports up to %d; pick a lower --port"
            % (options.port, options.shards, top)
        )
    return planned(options.port, options.shards, options.proxies)


def _check_ports_free(sandbox, layout, nodes, proxies, haproxy):
    """Every port of what is to start must be free; else exit 3."""
    owners = []
    for node in nodes:
        owners += [(node.http_port, node.id + " HTTP"), (node.raft_port, node.id + " Raft")]
    owners += [(proxy.port, proxy.id + " HTTP") for proxy in proxies]
    if haproxy:
        owners.append((layout.haproxy.port, "haproxy"))
    taken = set(busy([port for port, _ in owners]))
    if not taken:
        return
    for port, owner in owners:
        if port in taken:
            say("port %d (for %s) is already in use on 127.0.0.1" % (port, owner))
    if layout.loaded:
        raise Exit(
            EXIT_PORT_BUSY,
            "free it: the ports of an existing sandbox are fixed by %s" % sandbox.topology,
        )
    raise Exit(EXIT_PORT_BUSY, "free it, or pick another --port")


class _Interrupted(Exception):
    pass


def _interrupted(signum, frame):
    raise _Interrupted()


class _Start:
    """One run of `up` once the ports are free: remembers what it started, to stop it on failure."""

    def __init__(self, sandbox, layout, launcher):
        self.sandbox = sandbox
        self.layout = layout
        self.launcher = launcher
        self.stopper = Stopper(sandbox.data, sandbox.children)
        self.started_nodes = []
        self.started_proxies = []
        self.started_haproxy = False

    def run(self, nodes, proxies, haproxy, wait_seconds):
        signal.signal(signal.SIGINT, _interrupted)
        signal.signal(signal.SIGTERM, _interrupted)
        try:
            deadline = self._start_nodes(nodes, wait_seconds)
            self._start_front(proxies, haproxy, deadline, wait_seconds)
        except _Interrupted:
            say("interrupted")
            self._abort(130)
        except KeyboardInterrupt:
            say("interrupted")
            self._abort(130)
        except Exit as e:
            for line in e.lines:
                say(line)
            self._abort(e.code)
        except OSError as e:
            say(str(e))
            self._abort(1)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self._report_up()
        return 0

    def _start_nodes(self, nodes, wait_seconds):
        """Starts `nodes` and waits until every node is ready and every shard has a LEADER; the
        deadline of the whole start."""
        # Nodes read the shard map too (they refuse other shards' job ids), so it comes first.
        write_shard_map(self.sandbox.shard_map, self.layout)
        for node in nodes:
            self.started_nodes.append(node)
            self.launcher.start_node(self.layout, node)
        self._save()
        deadline = time.monotonic() + wait_seconds
        say(
            "waiting up to %ds for every node to be ready and every shard to have a leader ..."
            % wait_seconds
        )
        while True:
            for node in nodes:
                self._fail_if_ended(node, with_status=True)
            self.node_probes = probe_all([n.url for n in self.layout.nodes])
            leaders = {
                n.shard for n, p in zip(self.layout.nodes, self.node_probes) if p.role == "LEADER"
            }
            missing = [
                "%s(ready=%s)" % (n.id, p.ready)
                for n, p in zip(self.layout.nodes, self.node_probes)
                if not p.is_ready
            ]
            missing += ["%s(no LEADER)" % s for s in self.layout.shard_ids() if s not in leaders]
            if not missing:
                return deadline
            if time.monotonic() >= deadline:
                say("not ready after %ds: %s" % (wait_seconds, " ".join(missing)))
                for node, probe in zip(self.layout.nodes, self.node_probes):
                    if not probe.is_ready:
                        show_log_tail(self.launcher.log_of(node.id))
                raise Exit(1)
            time.sleep(POLL_SECONDS)

    def _start_front(self, proxies, haproxy, deadline, wait_seconds):
        """The proxies, then HAProxy in front of them; each must answer /ready 200."""
        for proxy in proxies:
            self.started_proxies.append(proxy)
            self.launcher.start_proxy(proxy)
        if haproxy:
            self.launcher.start_haproxy(self.layout)
            self.started_haproxy = True
        self._save()
        front = self.layout.proxies + ([self.layout.haproxy] if self.layout.haproxy else [])
        while True:
            for process in proxies + ([self.layout.haproxy] if haproxy else []):
                self._fail_if_ended(process, with_status=False)
            missing = [
                "%s(ready=%s)" % (p.url, probe.ready)
                for p, probe in zip(front, probe_all([p.url for p in front]))
                if not probe.is_ready
            ]
            if not missing:
                return
            if time.monotonic() >= deadline:
                raise Exit(1, "not ready after %ds: %s" % (wait_seconds, " ".join(missing)))
            time.sleep(POLL_SECONDS)

    def _fail_if_ended(self, process, with_status):
        status = self.sandbox.children.exit_status(process.pid)
        if status is None and not pids.gone(process.pid):
            return
        suffix = " with status %d" % status if with_status and status else ""
        say("%s (pid %d) exited during start%s" % (process.id, process.pid, suffix))
        show_log_tail(self.launcher.log_of(process.id))
        process.pid = None
        raise Exit(1)

    def _abort(self, code):
        """Stops what this run started, then exits with `code`."""
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if self.started_proxies or self.started_haproxy:
            say("stopping the proxies this run started")
            self.stopper.stop_front(self.layout, self.started_proxies, self.started_haproxy)
            self._save()
        if self.started_nodes:
            say("stopping the node(s) this run started")
            self.stopper.stop_nodes(self.layout, self.started_nodes)
            self._save()
        raise Exit(code)

    def _save(self):
        topology_file.write(self.sandbox.topology, self.layout)

    def _report_up(self):
        for node, probe in zip(self.layout.nodes, self.node_probes):
            if probe.role == "LEADER":
                say("%s: leader %s (%s)" % (node.shard, node.id, node.url))
        say(
            "up: %d shard(s), %d nodes, %d prox(ies)%s; topology in %s;"
            " stop with: deploy/local/sandbox down --data %s"
            % (
                len(self.layout.shard_ids()),
                len(self.layout.nodes),
                len(self.layout.proxies),
                " behind haproxy" if self.layout.haproxy else "",
                self.sandbox.topology,
                self.sandbox.data,
            )
        )
        print(self.layout.entry, flush=True)
