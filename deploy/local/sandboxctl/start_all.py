"""`up`: picks the layout (an existing sandbox's wins over the flags), finds what is not running,
gets Java and the jars, checks that its ports are free, and hands over to Startup."""
import os
import shutil

from . import access as keys
from . import jars, pids, tls_files, topology_file
from .console import EXIT_PORT_BUSY, Exit, fail, say, usage_error
from .launch import Launcher
from .layout import highest_port, planned
from .probes import busy
from .startup import Startup, print_entry


def run(sandbox, options):
    layout = _layout(sandbox, options)
    nodes = [n for n in layout.nodes if not pids.is_node(n.pid, sandbox.data, n)]
    proxies = [p for p in layout.proxies if not pids.is_proxy(p.pid, sandbox.data, p)]
    haproxy = layout.haproxy is not None and not pids.is_haproxy(layout.haproxy.pid, sandbox.data)
    for process in nodes + proxies + ([layout.haproxy] if haproxy else []):
        process.pid = None
    stopped = len(nodes) + len(proxies) + int(haproxy)
    running = len(layout.nodes) + len(layout.proxies) + int(layout.haproxy is not None) - stopped
    _plan_access(sandbox, layout, options, running > 0)
    if not stopped:
        _write_tenants(sandbox, layout)
        topology_file.write(sandbox.topology, layout)  # with the keys of tenants named now
        say(
            "already running in %s (%d nodes, %d prox(ies));"
            " see: deploy/local/sandbox status --data %s"
            % (sandbox.data, len(layout.nodes), len(layout.proxies), sandbox.data)
        )
        print_entry(layout)
        return 0
    if nodes and len(nodes) < len(layout.nodes):
        say(
            "%d node(s) already running; starting the other %d"
            % (len(layout.nodes) - len(nodes), len(nodes))
        )
    if haproxy and shutil.which("haproxy") is None:
        # Said before anything starts, rather than once the nodes and proxies are up.
        raise fail(
            "--proxies %d needs HAProxy in front of the proxies:"
            " install it (apt-get install haproxy)" % len(layout.proxies)
        )
    java = jars.find_java()
    jar_files = jars.Jars.from_env()
    jars.build_if_needed(jar_files, options.rebuild)
    _check_ports_free(sandbox, layout, nodes, proxies, haproxy)
    tls = tls_files.TlsFiles.of(sandbox.data)
    if layout.access.tls:
        tls_files.ensure(tls)
    _write_tenants(sandbox, layout)
    access_flags = (
        ["--insecure-no-auth"]
        if layout.access.insecure_no_auth
        else ["--tenants-file", sandbox.tenants_file]
    ) + (tls.flags() if layout.access.tls else [])
    launcher = Launcher(
        sandbox.data, java, jar_files, options.node_flags(), access_flags, sandbox.children
    )
    return Startup(sandbox, layout, launcher).run(nodes, proxies, haproxy, options.wait_seconds)


def _plan_access(sandbox, layout, options, running):
    """Keys (reused from sandbox.json) or --insecure-no-auth, and TLS, as `options` ask; while
    processes of the sandbox run, they must ask for what those run with."""
    recorded = layout.access if layout.loaded else None
    wanted = keys.planned(recorded, options.tenants, options.insecure_no_auth, options.tls)
    if running and recorded is not None and not recorded.same_mode(wanted):
        raise usage_error(
            "%s runs with %s, not %s: give the same flags, or stop it first"
            " (deploy/local/sandbox down --data %s)"
            % (sandbox.data, recorded.describe(), wanted.describe(), sandbox.data)
        )
    layout.set_access(wanted)


def _write_tenants(sandbox, layout):
    if not layout.access.insecure_no_auth:
        keys.write_tenants_file(sandbox.tenants_file, layout.access)


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
