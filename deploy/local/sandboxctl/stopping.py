"""Stopping recorded processes: SIGTERM, then SIGKILL after STOP_WAIT_SECONDS. Only a PID that still
is the recorded process (pids.py) is signalled."""
import os
import signal
import time

from . import pids
from .console import say

STOP_WAIT_SECONDS = 25
POLL_SECONDS = 0.2


class Stopper:
    def __init__(self, data, children):
        self.data = data
        self.children = children

    def _signal(self, pid, sig):
        try:
            os.kill(pid, sig)
        except OSError:
            pass  # it ended meanwhile

    def stop_front(self, layout, proxies, with_haproxy):
        """Stops HAProxy (when `with_haproxy`) and `proxies`; clears the PIDs of those that
        ended."""
        ha = layout.haproxy if with_haproxy else None
        if ha is not None and pids.is_haproxy(ha.pid, self.data):
            say("stopping haproxy (pid %d)" % ha.pid)
            self._signal(ha.pid, signal.SIGTERM)
        waiting = self._terminate(proxies, lambda p: pids.is_proxy(p.pid, self.data, p))
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        while True:
            waiting = [p for p in waiting if self._still(p, pids.is_proxy(p.pid, self.data, p))]
            ha_alive = (
                ha is not None
                and ha.pid is not None
                and self._still(ha, pids.is_haproxy(ha.pid, self.data))
            )
            if not waiting and not ha_alive:
                return
            if time.monotonic() >= deadline:
                for proxy in waiting:
                    say(
                        "%s (pid %d) did not stop within %ds; sending SIGKILL"
                        % (proxy.id, proxy.pid, STOP_WAIT_SECONDS)
                    )
                    self._kill(proxy)
                if ha_alive:
                    self._kill(ha)
                return
            time.sleep(POLL_SECONDS)

    def stop_nodes(self, layout, nodes):
        """Stops `nodes`; clears the PIDs of those that ended."""
        waiting = self._terminate(nodes, lambda n: pids.is_node(n.pid, self.data, n))
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        while waiting:
            waiting = [n for n in waiting if self._still(n, pids.is_node(n.pid, self.data, n))]
            if not waiting:
                return
            if time.monotonic() >= deadline:
                for node in waiting:
                    say(
                        "%s (pid %d) did not stop within %ds; sending SIGKILL"
                        % (node.id, node.pid, STOP_WAIT_SECONDS)
                    )
                    self._kill(node)
                return
            time.sleep(POLL_SECONDS)

    def _terminate(self, processes, is_ours):
        """Sends SIGTERM to each of `processes` that is still ours and returns those; the others
        lose their PID, which belongs to someone else now (or to no one)."""
        signalled = []
        for process in processes:
            if process.pid is None:
                continue
            if is_ours(process):
                say("stopping %s (pid %d)" % (process.id, process.pid))
                self._signal(process.pid, signal.SIGTERM)
                signalled.append(process)
            else:
                process.pid = None
        return signalled

    def _still(self, process, running):
        """`running` as is; a process that is no longer running is reaped (if ours) and
        forgotten."""
        if not running:
            self.children.reap(process.pid)
            process.pid = None
        return running

    def _kill(self, process):
        self._signal(process.pid, signal.SIGKILL)
        self.children.reap(process.pid)
        process.pid = None
