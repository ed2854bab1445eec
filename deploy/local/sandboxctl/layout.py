"""Where every process of a sandbox listens, and the PID recorded for it."""
from dataclasses import dataclass, field
from typing import List, Optional

HOST = "127.0.0.1"
NODE_LETTERS = ("a", "b", "c")
NODE_HTTP_OFFSET = 20
RAFT_OFFSET = 1000


def url(port):
    return "http://%s:%d" % (HOST, port)


@dataclass
class Node:
    shard: str
    id: str
    http_port: int
    raft_port: int
    pid: Optional[int] = None

    @property
    def url(self):
        return url(self.http_port)

    @property
    def raft(self):
        return "%s:%d" % (HOST, self.raft_port)


@dataclass
class Proxy:
    id: str
    port: int
    pid: Optional[int] = None

    @property
    def url(self):
        return url(self.port)


@dataclass
class Haproxy:
    port: int
    pid: Optional[int] = None
    id: str = "haproxy"

    @property
    def url(self):
        return url(self.port)


@dataclass
class Layout:
    """Nodes shard-major (a, b, c within a shard); `haproxy` only when there are several proxies."""

    entry_port: int
    proxies: List[Proxy]
    nodes: List[Node]
    haproxy: Optional[Haproxy] = None
    # True when read from an existing sandbox.json: its ports are fixed (Raft keeps peer addresses).
    loaded: bool = field(default=False, compare=False)

    @property
    def entry(self):
        return url(self.entry_port)

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
