"""HTTP probes of /ready and /status, and the check that ports are free."""
import json
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

TIMEOUT_SECONDS = 2


def _opener(tls_context):
    # Loopback only: an http_proxy from the environment must not carry the probes elsewhere.
    handlers = [urllib.request.ProxyHandler({})]
    if tls_context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=tls_context))
    return urllib.request.build_opener(*handlers)


@dataclass(frozen=True)
class Probe:
    """What a process answers: ready is the /ready status ("-" when it does not answer)."""

    ready: str = "-"
    role: str = "-"
    leader: str = "-"
    # the node's own view: committed entries it has not applied ("-" when unknown)
    own_lag: str = "-"
    stalled: bool = False
    # the leader's view of each follower: committed entries missing from its log
    follower_lags: tuple = ()

    @property
    def is_ready(self):
        return self.ready == "200"


def _get(opener, url):
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except Exception:
        return 0, ""


def probe(url, opener):
    """/ready and /status are open: the probes need no key."""
    ready = _get(opener, url + "/ready")[0]
    code, body = _get(opener, url + "/status")
    fields = {"ready": str(ready) if ready else "-"}
    if code == 200:
        try:
            status = json.loads(body)
            # spaces become "_" so that the status table keeps its columns
            fields["role"] = str(status.get("role") or "-").replace(" ", "_")
            fields["leader"] = str(status.get("leaderId") or "-").replace(" ", "_")
            if "lag" in status:
                fields["own_lag"] = str(int(status["lag"]))
                fields["stalled"] = bool(status.get("stalled"))
            fields["follower_lags"] = tuple(
                (str(f["id"]), int(f["lag"])) for f in status.get("followers") or []
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            fields["role"] = "?"
    return Probe(**fields)


def probe_all(urls, tls_context=None):
    """Probes of every URL, in order, all at once; https ones with `tls_context` (the sandbox's
    CA and client certificate)."""
    opener = _opener(tls_context)
    with ThreadPoolExecutor(max_workers=max(1, len(urls))) as pool:
        return list(pool.map(lambda url: probe(url, opener), urls))


def busy(ports):
    """The ports among `ports` that cannot be bound on 127.0.0.1 now."""
    taken = []
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            taken.append(port)
        finally:
            s.close()
    return taken
