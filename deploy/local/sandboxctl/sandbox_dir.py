"""The sandbox directory (--data): its files, and the lock that lets one up/down run at a time."""
import fcntl
import os

from .children import Children
from .console import fail


class SandboxDir:
    def __init__(self, data):
        self.data = os.path.abspath(data)
        self.topology = os.path.join(self.data, "sandbox.json")
        self.shard_map = os.path.join(self.data, "shards.json")
        self.children = Children()
        self._lock = None

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
