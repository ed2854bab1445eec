"""The command line: the help text, and the flags parsed and checked into Options."""
import re
from dataclasses import dataclass
from typing import Optional

from .console import usage_error

HELP = """\
Shardhook local sandbox: N three-node shards and P sharding proxies as separate JVMs on loopback,
with HAProxy in front of the proxies when P > 1 (README.md, "Local sandbox").

  deploy/local/sandbox up     [--shards N] [--proxies P] [--data DIR] [--port PORT] [--max-pending M]
                              [--workers C] [--signing-secret whsec_...] [--retention D]
                              [--tenants a,b | --insecure-no-auth] [--tls]
                              [--wait SECONDS] [--rebuild]
  deploy/local/sandbox down   [--data DIR]
  deploy/local/sandbox status [--data DIR]

up      builds the node and proxy jars when they are missing (or with --rebuild), starts every node,
        proxy and HAProxy that is not running yet, waits until every node answers /ready 200, every
        shard has a LEADER and the entry answers /ready 200, and prints the entry URL as the last
        line on stdout, followed by the first tenant's API key on a line of its own (everything
        else goes to stderr).
down    stops only the PIDs recorded in DIR/sandbox.json (HAProxy, proxies, then nodes; SIGTERM, then
        SIGKILL after 25 s); the data stays, so `up` on the same DIR recovers every shard.
status  prints every process: pid alive/dead, /ready, role, leader and Raft lag (entries a node
        lacks, "stalled" when it applies none for 10 s); exit 0 only if all are up.

Defaults: --shards 1, --proxies 1, --data ./data/sandbox, --port 8080, --wait 90; --workers,
--max-pending, --signing-secret and --retention (how long finished jobs stay, e.g. 30s, 2h, 7d)
are passed on to the nodes only when given. Webhook targets on
loopback and private addresses are allowed (--allow-private-targets).

Keys: `up` writes DIR/tenants.json (mode 0600; SHA-256 hashes only) with an admin key (tenant
"default") and one submit key per tenant of --tenants (default: one tenant, "default"), passes
--tenants-file to every node and proxy, and keeps the keys in DIR/sandbox.json ("adminKey",
"apiKeys": {"<tenant>": "<key>"}), so a later `up` on the same DIR reuses them (tenants named
then get new keys; the others keep theirs). Send one as "Authorization: Bearer KEY".
--insecure-no-auth starts every process without keys instead (every request is the admin of
"default"): no tenants.json, no keys.
--tls makes a throwaway CA and one certificate (serverAuth and clientAuth, for 127.0.0.1 and
localhost) with openssl in DIR/tls/ (once; later runs reuse them), passes --tls-cert, --tls-key
and --tls-ca to every node and proxy, and every URL is https; sandbox.json names the CA as
"caCert" (curl --cacert DIR/tls/ca.pem). Nodes ask for a client certificate; proxies do not.
HAProxy passes TLS through (TCP mode). While any process of DIR runs, `up` must be given the
same --insecure-no-auth and --tls as before (else exit 2); once it is down, either may change.

Ports (PORT = --port): the entry is PORT. With one proxy the proxy itself listens on PORT; with
P > 1, HAProxy listens on PORT (health checks on /ready, option redispatch, retries on connection
failure only) and proxy j on PORT+1+j. Node i (a,b,c = 0,1,2) of shard s serves HTTP on
PORT+20+3s+i and Raft (gRPC) on PORT+1000+3s+i. The layout is kept in DIR/sandbox.json, and `up`
on an existing DIR reuses it and ignores conflicting --shards/--proxies/--port: Raft records peer
addresses in its log, so they must not change.

Files: DIR/sandbox.json (topology + PIDs + keys), DIR/shards.json (the shard map of proxies and
nodes), DIR/tenants.json (key hashes), DIR/tls/ (with --tls), DIR/haproxy.cfg, DIR/<node-id>/ (node data), DIR/logs/<id>.log.
Environment: SANDBOX_JVM_OPTS adds JVM options for every node and proxy (default heap: -Xmx512m
for nodes, -Xmx256m for proxies); SANDBOX_NODE_JAR / SANDBOX_PROXY_JAR run other jars (default
cluster-node/target/shardhook-node.jar, proxy/target/shardhook-proxy.jar).
Exit codes: 0 ok, 1 failure, 2 bad usage, 3 a port is busy.
"""

COMMANDS = ("up", "down", "status")
VALUE_FLAGS = (
    "--data",
    "--shards",
    "--proxies",
    "--port",
    "--max-pending",
    "--workers",
    "--signing-secret",
    "--retention",
    "--wait",
    "--tenants",
)
SWITCHES = ("--rebuild", "--insecure-no-auth", "--tls")
TENANT = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
MAX_WHOLE = 999999999


class HelpWanted(Exception):
    """-h, --help or `help`: print HELP and exit 0."""


@dataclass(frozen=True)
class Options:
    command: str
    data: str = "./data/sandbox"
    shards: int = 1
    proxies: int = 1
    port: int = 8080
    # Which of --shards/--proxies/--port were given: an existing layout wins over them, with a note.
    shards_given: bool = False
    proxies_given: bool = False
    port_given: bool = False
    max_pending: Optional[int] = None
    workers: Optional[int] = None
    retention: Optional[str] = None
    signing_secret: Optional[str] = None
    wait_seconds: int = 90
    rebuild: bool = False
    # None: the tenants an existing sandbox has, or just "default"
    tenants: Optional[tuple] = None
    insecure_no_auth: bool = False
    tls: bool = False

    def node_flags(self):
        """The node flags passed on only when given."""
        flags = []
        if self.workers is not None:
            flags += ["--workers", str(self.workers)]
        if self.max_pending is not None:
            flags += ["--max-pending", str(self.max_pending)]
        if self.retention is not None:
            flags += ["--retention", self.retention]
        if self.signing_secret is not None:
            flags += ["--signing-secret", self.signing_secret]
        return flags


def parse(argv):
    """Options from the arguments; raises HelpWanted, or Exit with code 2 on bad usage."""
    command = argv[0] if argv else ""
    if command in ("-h", "--help", "help"):
        raise HelpWanted()
    if command == "":
        raise usage_error("missing command: up, down or status")
    if command not in COMMANDS:
        raise usage_error("unknown command: %s (use up, down or status)" % command)
    values = {"command": command}
    for flag, value in _flags(argv[1:]):
        if flag != "--data" and command != "up":
            raise usage_error("'%s' takes only --data (got %s)" % (command, flag))
        values.update(_checked(flag, value))
    if values.get("tenants") and values.get("insecure_no_auth"):
        raise usage_error("--tenants needs API keys: give either --tenants or --insecure-no-auth")
    return Options(**values)


def _flags(args):
    """(flag, value) pairs from `--flag value`, `--flag=value` and the SWITCHES."""
    i = 0
    while i < len(args):
        arg = args[i]
        flag, has_value, value = arg, False, None
        if arg.startswith("--") and "=" in arg:
            flag, value = arg.split("=", 1)
            has_value = True
        if flag in VALUE_FLAGS:
            if not has_value:
                if i + 1 >= len(args):
                    raise usage_error("%s needs a value" % flag)
                i += 1
                value = args[i]
        elif flag in ("-h", "--help"):
            raise HelpWanted()
        elif flag not in SWITCHES or has_value:
            raise usage_error("unknown option: %s" % arg)
        yield flag, value
        i += 1


def _whole(value, low, high):
    """The whole number `value` (at most 9 digits) when it is from low to high, else None."""
    if re.fullmatch(r"[0-9]{1,9}", value) is None:
        return None
    number = int(value)
    return number if low <= number <= high else None


def _checked(flag, value):
    if flag == "--data":
        if not value:
            raise usage_error("--data needs a directory")
        return {"data": value}
    if flag in SWITCHES:
        return {flag[2:].replace("-", "_"): True}
    if flag == "--tenants":
        names = value.split(",")
        bad = [n for n in names if TENANT.fullmatch(n) is None]
        if bad or len(set(names)) != len(names):
            raise usage_error(
                "--tenants must be distinct tenant names ([a-z0-9][a-z0-9_-]{0,62}) separated"
                " by commas (got '%s')" % value
            )
        return {"tenants": tuple(names)}
    if flag == "--retention":
        if re.fullmatch(r"[0-9]{1,12}(ms|s|m|h|d)", value) is None:
            raise usage_error(
                "--retention must be a duration such as 30s, 2h or 7d (got '%s')" % value
            )
        return {"retention": value}
    if flag == "--signing-secret":
        if not value.startswith("whsec_") or len(value) == len("whsec_"):
            raise usage_error("--signing-secret must look like whsec_<base64>")
        return {"signing_secret": value}
    field, low, high, problem = {
        "--shards": ("shards", 1, 64, "must be a whole number from 1 to 64"),
        "--proxies": ("proxies", 1, 9, "must be a whole number from 1 to 9"),
        "--port": ("port", 1024, 65535, "must be a port number from 1024 to 65535"),
        "--max-pending": ("max_pending", 1, MAX_WHOLE, "must be a positive whole number"),
        "--workers": ("workers", 1, MAX_WHOLE, "must be a positive whole number"),
        "--wait": ("wait_seconds", 1, MAX_WHOLE, "must be a positive number of seconds"),
    }[flag]
    number = _whole(value, low, high)
    if number is None:
        raise usage_error("%s %s (got '%s')" % (flag, problem, value))
    checked = {field: number}
    if field in ("shards", "proxies", "port"):
        checked[field + "_given"] = True
    return checked
