"""The end of a process's log, from the last start on, when it failed to start."""
import os
import sys

from .console import say

MARKER = "=== sandbox up "
LINES = 40


def show(path):
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        say("%s is empty" % path)
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(MARKER)]
    this_start = lines[starts[-1] :] if starts else lines
    say("last lines of %s (this start only):" % path)
    for line in this_start[-LINES:]:
        print("    " + line, file=sys.stderr)
    sys.stderr.flush()
