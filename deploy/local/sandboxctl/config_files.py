"""The files the processes read: the shard map (proxies and nodes) and HAProxy's configuration."""
import json
import os

HAPROXY_HEAD = """\
# Written by deploy/local/sandbox; rewritten on every up.
global
    maxconn 2000
defaults
    mode http
    option redispatch 1
    retries 3
    # Only connection failures are retried: replaying a POST after an empty or late answer could
    # submit a job twice when it has neither id nor Idempotency-Key.
    retry-on conn-failure
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 5s
    timeout check 2s
frontend entry
    bind 127.0.0.1:%d
    default_backend proxies
backend proxies
    balance leastconn
    option httpchk GET /ready
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 2s rise 2 fall 2
"""

# With --tls HAProxy passes the TLS connections through (TCP mode): each proxy terminates TLS with
# the sandbox's certificate, so clients verify the one CA. Its health checks speak TLS themselves.
HAPROXY_TLS_HEAD = """\
# Written by deploy/local/sandbox (--tls); rewritten on every up.
global
    maxconn 2000
defaults
    mode tcp
    option redispatch 1
    retries 3
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 5s
    timeout check 2s
frontend entry
    bind 127.0.0.1:%d
    default_backend proxies
backend proxies
    balance leastconn
    option httpchk GET /ready
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 2s rise 2 fall 2
"""


def write_shard_map(path, layout):
    """Every shard with its nodes' URLs, in one ring epoch."""
    shards = [{"id": s, "nodes": [n.url for n in layout.nodes_of(s)]} for s in layout.shard_ids()]
    doc = {"shards": shards, "epochs": [{"epoch": 1, "shards": [s["id"] for s in shards]}]}
    # Written aside and renamed: running nodes and proxies never see half a map.
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)


def write_haproxy_cfg(path, layout):
    head, check = HAPROXY_HEAD, "check"
    if layout.access.tls:
        # The proxies ask no client certificate, and the check only needs their /ready answer.
        head, check = HAPROXY_TLS_HEAD, "check check-ssl verify none"
    servers = "".join(
        "    server %s 127.0.0.1:%d %s\n" % (p.id, p.port, check) for p in layout.proxies
    )
    with open(path, "w") as f:
        f.write(head % layout.haproxy.port + servers)
