"""Starting the node JVMs, the proxy JVMs and HAProxy, each logging to DIR/logs/<id>.log."""
import os
import re
import subprocess

from .config_files import write_haproxy_cfg
from .console import fail, say

NODE_HEAP = "-Xmx512m"
PROXY_HEAP = "-Xmx256m"


class Launcher:
    def __init__(self, data, java, jars, node_flags, access_flags, children):
        self.data = data
        self.java = java
        self.jars = jars
        self.node_flags = node_flags
        # keys (or --insecure-no-auth) and TLS: the same for every node and proxy
        self.access_flags = access_flags
        self.children = children
        self.log_dir = os.path.join(data, "logs")

    def log_of(self, id):
        return os.path.join(self.log_dir, id + ".log")

    def jvm_opts(self):
        opts = ["--enable-native-access=ALL-UNNAMED", "-XX:+ExitOnOutOfMemoryError"]
        # --sun-misc-unsafe-memory-access exists from JDK 23 on; JDK 21/22 refuse unknown options.
        if self.java.major >= 23:
            opts.append("--sun-misc-unsafe-memory-access=allow")
        return opts + os.environ.get("SANDBOX_JVM_OPTS", "").split()

    def start_node(self, layout, node):
        os.makedirs(os.path.join(self.data, node.id), exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        jvm = [NODE_HEAP] + self.jvm_opts()
        # fmt: off
        args = [
            "--node-id", node.id, "--shard-id", node.shard, "--peers", layout.peers(node.shard),
            "--http-host", "127.0.0.1", "--http-port", str(node.http_port),
            "--data-dir", os.path.join(self.data, node.id), "--allow-private-targets",
            "--shard-map", os.path.join(self.data, "shards.json"),
        ] + self.access_flags + self.node_flags
        # fmt: on
        shown = [re.sub(r"whsec_.*", "whsec_***", a, flags=re.S) for a in args]  # no secret in logs
        log = self.log_of(node.id)
        command = [self.java.path] + jvm + ["-jar", self.jars.node]
        node.pid = self.children.spawn(command + args, self.data, log, " ".join(command + shown))
        say(
            "started %s (pid %d): http %s, raft %s, log %s"
            % (node.id, node.pid, node.url, node.raft, log)
        )

    def start_proxy(self, proxy):
        os.makedirs(self.log_dir, exist_ok=True)
        # fmt: off
        command = [self.java.path, PROXY_HEAP] + self.jvm_opts() + [
            "-jar", self.jars.proxy, "--http-host", "127.0.0.1", "--http-port", str(proxy.port),
            "--shard-map", os.path.join(self.data, "shards.json"),
        ] + self.access_flags
        # fmt: on
        log = self.log_of(proxy.id)
        proxy.pid = self.children.spawn(command, self.data, log, " ".join(command))
        say("started %s (pid %d): http %s, log %s" % (proxy.id, proxy.pid, proxy.url, log))

    def start_haproxy(self, layout):
        os.makedirs(self.log_dir, exist_ok=True)
        cfg = os.path.join(self.data, "haproxy.cfg")
        write_haproxy_cfg(cfg, layout)
        log = self.log_of("haproxy")
        if _run_logged(["haproxy", "-c", "-f", cfg], log) != 0:
            raise fail("haproxy refused %s (see %s)" % (cfg, log))
        ha = layout.haproxy
        ha.pid = self.children.spawn(
            ["haproxy", "-db", "-f", cfg], self.data, log, "haproxy -db -f " + cfg
        )
        say(
            "started haproxy (pid %d): %s in front of %d proxies, log %s"
            % (ha.pid, ha.url, len(layout.proxies), log)
        )


def _run_logged(args, log_path):
    """Runs `args` to its end with its output appended to `log_path`; its exit status."""
    with open(log_path, "ab") as log:
        return subprocess.run(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        ).returncode
