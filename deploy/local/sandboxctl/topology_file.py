"""DIR/sandbox.json: the layout and the PIDs, read by `status`/`down` and by the perf harness."""
import json
import os
import re
from collections import OrderedDict

from .access import Access, write_private
from .console import fail
from .layout import Haproxy, Layout, Node, Proxy
from .tls_files import TlsFiles

_URL = re.compile(r"https?://127\.0\.0\.1:([0-9]+)")
_RAFT = re.compile(r"127\.0\.0\.1:([0-9]+)")


def read(path, data):
    """The layout in `path`; raises Exit (code 1) when it cannot be read or is not a sandbox's."""
    try:
        with open(path) as f:
            doc = json.load(f, object_pairs_hook=OrderedDict)
        entry = str(doc.get("entry", "-"))
        access = _access(doc, entry)
        proxies = [
            (str(p["id"]), str(p["url"]), _pid(p.get("pid"))) for p in doc.get("proxies") or []
        ]
        ha = doc.get("haproxy")
        ha = (str(ha["url"]), _pid(ha.get("pid"))) if ha else None
        nodes = [
            (
                str(s["id"]),
                str(n["id"]),
                str(n["url"]),
                str(n.get("raft") or "-"),
                _pid(n.get("pid")),
            )
            for s in doc["shards"]
            for n in s["nodes"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise fail(
            "cannot read %s (fix or remove it; the node data stays in %s): %s" % (path, data, e)
        )
    entry_port = _port(_URL, entry, "%s: unexpected entry '%s'" % (path, entry))
    layout = Layout(entry_port, [], [], loaded=True)
    for pid_id, proxy_url, pid in proxies:
        port = _port(
            _URL, proxy_url, "%s: proxy %s has an unexpected url '%s'" % (path, pid_id, proxy_url)
        )
        layout.proxies.append(Proxy(pid_id, port, pid))
    if ha:
        port = _port(_URL, ha[0], "%s: haproxy has an unexpected url '%s'" % (path, ha[0]))
        layout.haproxy = Haproxy(port, ha[1])
    for shard, node_id, node_url, raft, pid in nodes:
        http_port = _port(
            _URL, node_url, "%s: node %s has an unexpected url '%s'" % (path, node_id, node_url)
        )
        raft_port = _port(
            _RAFT, raft, "%s: node %s has no usable \"raft\" address ('%s')" % (path, node_id, raft)
        )
        layout.nodes.append(Node(shard, node_id, http_port, raft_port, pid))
    if not layout.nodes:
        raise fail("%s lists no nodes (fix or remove it)" % path)
    if not layout.proxies:
        raise fail(
            "%s lists no proxies: it was written by an older sandbox; remove %s and start again"
            % (path, data)
        )
    layout.set_access(access)
    return layout


def _access(doc, entry):
    keys = doc.get("apiKeys") or {}
    return Access(
        insecure_no_auth=doc.get("insecureNoAuth") is True,
        admin_key=str(doc["adminKey"]) if doc.get("adminKey") else None,
        api_keys=OrderedDict((str(t), str(k)) for t, k in keys.items()),
        tls=entry.startswith("https:"),
    )


def _pid(value):
    # A PID is a positive whole number; anything else (null, a string) means "not running".
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _port(pattern, text, problem):
    match = pattern.fullmatch(text)
    if match is None:
        raise fail(problem)
    return int(match.group(1))


def write(path, layout):
    """Writes `path` aside and renames it, so that readers never see half a file; readable by
    this user only, as it holds the API keys."""
    out = ['{"entry": %s,\n' % _str(layout.entry)]
    access = layout.access
    if access.insecure_no_auth:
        out.append(' "insecureNoAuth": true,\n')
    elif access.admin_key:
        out.append(' "adminKey": %s,\n' % _str(access.admin_key))
        out.append(' "apiKeys": %s,\n' % json.dumps(access.api_keys))
    if access.tls:
        out.append(' "caCert": %s,\n' % _str(TlsFiles.of(os.path.dirname(path)).ca))
    out.append(' "proxies": [')
    out.append(
        ",".join(
            '\n  {"id": %s, "url": %s, "pid": %s}' % (_str(p.id), _str(p.url), _json_pid(p.pid))
            for p in layout.proxies
        )
    )
    out.append("],\n")
    if layout.haproxy:
        out.append(
            ' "haproxy": {"url": %s, "pid": %s},\n'
            % (_str(layout.haproxy.url), _json_pid(layout.haproxy.pid))
        )
    out.append(' "shards": [')
    shards = []
    for shard in layout.shard_ids():
        nodes = ",".join(
            '\n    {"id": %s, "url": %s, "pid": %s, "raft": %s}'
            % (_str(n.id), _str(n.url), _json_pid(n.pid), _str(n.raft))
            for n in layout.nodes_of(shard)
        )
        shards.append('\n  {"id": %s, "nodes": [%s]}' % (_str(shard), nodes))
    out.append(",".join(shards))
    out.append("]}\n")
    write_private(path, "".join(out))


def _str(text):
    return json.dumps(text)


def _json_pid(pid):
    return "null" if pid is None else str(pid)
