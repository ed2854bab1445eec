"""Starting the processes of `up` and waiting until they are ready; on failure or interrupt it
stops what it started."""
import signal
import sys
import time

from . import pids, topology_file
from .config_files import write_shard_map
from .console import Exit, say
from .log_tail import show as show_log_tail
from .probes import probe_all
from .stopping import Stopper

POLL_SECONDS = 0.5


class _Interrupted(Exception):
    pass


class _Signals:
    """SIGINT and SIGTERM while starting are noted and acted on between steps (as a shell trap is),
    so that a process is never started without being recorded."""

    def __init__(self):
        self.caught = False
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._note)

    def _note(self, signum, frame):
        self.caught = True

    def check(self):
        if self.caught:
            raise _Interrupted()

    @staticmethod
    def restore():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)


class Startup:
    """One run of `up` once the ports are free: starts the nodes, then the proxies and HAProxy,
    waits until they are ready, and remembers what it started, to stop it on failure."""

    def __init__(self, sandbox, layout, launcher):
        self.sandbox = sandbox
        self.layout = layout
        self.launcher = launcher
        self.stopper = Stopper(sandbox.data, sandbox.children)
        self.started_nodes = []
        self.started_proxies = []
        self.started_haproxy = False
        self.node_probes = []
        self.signals = None
        self.tls_context = sandbox.tls_context(layout)

    def run(self, nodes, proxies, haproxy, wait_seconds):
        self.signals = _Signals()
        try:
            deadline = self._start_nodes(nodes, wait_seconds)
            self._start_front(proxies, haproxy, deadline, wait_seconds)
        except _Interrupted:
            say("interrupted")
            self._abort(130)
        except Exit as e:
            for line in e.lines:
                say(line)
            self._abort(e.code)
        except OSError as e:
            say(str(e))
            self._abort(1)
        _Signals.restore()
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
            self.signals.check()
        self._save()
        deadline = time.monotonic() + wait_seconds
        say(
            "waiting up to %ds for every node to be ready and every shard to have a leader ..."
            % wait_seconds
        )
        while True:
            self.signals.check()
            for node in nodes:
                self._fail_if_ended(node, with_status=True)
            self.node_probes = probe_all([n.url for n in self.layout.nodes], self.tls_context)
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
            self.signals.check()
        if haproxy:
            self.launcher.start_haproxy(self.layout)
            self.started_haproxy = True
            self.signals.check()
        self._save()
        front = self.layout.proxies + ([self.layout.haproxy] if self.layout.haproxy else [])
        while True:
            self.signals.check()
            for process in proxies + ([self.layout.haproxy] if haproxy else []):
                self._fail_if_ended(process, with_status=False)
            missing = [
                "%s(ready=%s)" % (p.url, probe.ready)
                for p, probe in zip(front, probe_all([p.url for p in front], self.tls_context))
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
        _Signals.restore()
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
        print_entry(self.layout)


def print_entry(layout):
    """stdout: the entry URL, then the first tenant's key (none with --insecure-no-auth)."""
    print(layout.entry)
    key = layout.access.first_tenant_key()
    if key:
        print(key)
    sys.stdout.flush()
