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
        waiting = []
        for proxy in proxies:
            if pids.is_proxy(proxy.pid, self.data, proxy):
                say("stopping %s (pid %d)" % (proxy.id, proxy.pid))
                self._signal(proxy.pid, signal.SIGTERM)
                waiting.append(proxy)
            else:
                proxy.pid = None
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
        waiting = []
        for node in nodes:
            if node.pid is None:
                continue
            if pids.is_node(node.pid, self.data, node):
                say("stopping %s (pid %d)" % (node.id, node.pid))
                self._signal(node.pid, signal.SIGTERM)
                waiting.append(node)
            else:
                node.pid = None
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
