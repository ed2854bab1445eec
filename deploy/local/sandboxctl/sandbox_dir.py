"""The sandbox directory (--data): its files, and the lock that lets one up/down run at a time."""
import fcntl
import os

from .children import Children
from .console import fail
from .tls_files import TlsFiles


class SandboxDir:
    def __init__(self, data):
        self.data = os.path.abspath(data)
        self.topology = os.path.join(self.data, "sandbox.json")
        self.shard_map = os.path.join(self.data, "shards.json")
        self.tenants_file = os.path.join(self.data, "tenants.json")
        self.children = Children()
        self._lock = None

    def tls_context(self, layout):
        """What the probes of `layout` need: None without TLS (or when DIR/tls/ is gone)."""
        files = TlsFiles.of(self.data)
        if not layout.access.tls or not files.exist():
            return None
        return files.client_context()

    def has_topology(self):
        return os.path.isfile(self.topology)

    def lock(self):
        """Holds DIR/.sandbox.lock until this process ends (flock, as flock(1) takes it)."""
        self._lock = open(os.path.join(self.data, ".sandbox.lock"), "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise fail(
                "another sandbox command is running on %s; try again when it is done" % self.data
            )
