"""Where every process of a sandbox listens, and the PID recorded for it."""
from dataclasses import dataclass, field
from typing import List, Optional

from .access import Access

HOST = "127.0.0.1"
NODE_LETTERS = ("a", "b", "c")
NODE_HTTP_OFFSET = 20
RAFT_OFFSET = 1000


def url(port, tls=False):
    return "%s://%s:%d" % ("https" if tls else "http", HOST, port)


@dataclass
class Node:
    shard: str
    id: str
    http_port: int
    raft_port: int
    pid: Optional[int] = None
    tls: bool = False

    @property
    def url(self):
        return url(self.http_port, self.tls)

    @property
    def raft(self):
        return "%s:%d" % (HOST, self.raft_port)


@dataclass
class Proxy:
    id: str
    port: int
    pid: Optional[int] = None
    tls: bool = False

    @property
    def url(self):
        return url(self.port, self.tls)


@dataclass
class Haproxy:
    port: int
    pid: Optional[int] = None
    id: str = "haproxy"
    tls: bool = False

    @property
    def url(self):
        return url(self.port, self.tls)


@dataclass
class Layout:
    """Nodes shard-major (a, b, c within a shard); `haproxy` only when there are several proxies."""

    entry_port: int
    proxies: List[Proxy]
    nodes: List[Node]
    haproxy: Optional[Haproxy] = None
    # True when read from an existing sandbox.json: its ports are fixed (Raft keeps peer addresses).
    loaded: bool = field(default=False, compare=False)
    # The keys (or --insecure-no-auth) and --tls, recorded in sandbox.json with the layout.
    access: Access = field(default_factory=Access, compare=False)

    @property
    def entry(self):
        return url(self.entry_port, self.access.tls)

    def set_access(self, access):
        """Takes `access`; with TLS every URL is https."""
        self.access = access
        for process in self.nodes + self.proxies + ([self.haproxy] if self.haproxy else []):
            process.tls = access.tls

    def shard_ids(self):
        return list(dict.fromkeys(n.shard for n in self.nodes))

    def nodes_of(self, shard):
        return [n for n in self.nodes if n.shard == shard]

    def peers(self, shard):
        """The --peers flag of a node of `shard`: id=host:raft,..."""
        return ",".join("%s=%s" % (n.id, n.raft) for n in self.nodes_of(shard))


def highest_port(port, shards):
    return port + RAFT_OFFSET + 3 * shards - 1


def planned(port, shards, proxies):
    """A new sandbox's layout (see the ports in usage.HELP)."""
    if proxies == 1:
        front, haproxy = [Proxy("proxy-0", port)], None
    else:
        front = [Proxy("proxy-%d" % j, port + 1 + j) for j in range(proxies)]
        haproxy = Haproxy(port)
    nodes = []
    for s in range(shards):
        for i, letter in enumerate(NODE_LETTERS):
            k = 3 * s + i
            nodes.append(
                Node(
                    "shard-%d" % s,
                    "shard-%d-%s" % (s, letter),
                    port + NODE_HTTP_OFFSET + k,
                    port + RAFT_OFFSET + k,
                )
            )
    return Layout(port, front, nodes, haproxy)
