"""`down`: stops the PIDs recorded in sandbox.json (HAProxy, proxies, then nodes); the data
stays."""
from . import pids, topology_file
from .console import say
from .stopping import Stopper


def run(sandbox, options):
    if not sandbox.has_topology():
        say("no sandbox in %s (no sandbox.json); nothing to stop" % sandbox.data)
        return 0
    layout = topology_file.read(sandbox.topology, sandbox.data)
    stopper = Stopper(sandbox.data, sandbox.children)
    stopper.stop_front(layout, layout.proxies, with_haproxy=True)
    running = []
    for node in layout.nodes:
        if pids.is_node(node.pid, sandbox.data, node):
            running.append(node)
        elif node.pid is not None:
            say(
                "%s: pid %d is not running (or is no longer this node); leaving it alone"
                % (node.id, node.pid)
            )
            node.pid = None
    if not running:
        topology_file.write(sandbox.topology, layout)
        say("nothing running in %s" % sandbox.data)
        return 0
    stopper.stop_nodes(layout, running)
    topology_file.write(sandbox.topology, layout)
    say("stopped %d node(s); data kept in %s" % (len(running), sandbox.data))
    return 0
