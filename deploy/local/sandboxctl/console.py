"""Messages on stderr, and the exits that end a command with a message and an exit code."""
import sys

USAGE_LINE = (
    "usage: deploy/local/sandbox up|down|status [--data DIR] [--shards N] [--port P] ..."
    " (see --help)"
)

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PORT_BUSY = 3


def say(*words):
    print("sandbox:", *words, file=sys.stderr, flush=True)


class Exit(Exception):
    """Ends the command with `code` after saying `lines` (none when they were said already)."""

    def __init__(self, code, *lines):
        super().__init__(*lines)
        self.code = code
        self.lines = lines


def fail(message):
    return Exit(EXIT_FAILURE, message)


def usage_error(message):
    return Exit(EXIT_USAGE, message, USAGE_LINE)
