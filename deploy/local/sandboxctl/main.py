"""Runs one command: up, down or status (usage.HELP)."""
import os
import sys

from . import start_all, status_table, stop_all, usage
from .console import Exit, say
from .sandbox_dir import SandboxDir

COMMANDS = {"up": start_all.run, "down": stop_all.run, "status": status_table.run}


def main(argv):
    try:
        options = usage.parse(argv)
        return COMMANDS[options.command](_open(options), options)
    except usage.HelpWanted:
        sys.stdout.write(usage.HELP)
        return 0
    except Exit as e:
        for line in e.lines:
            say(line)
        return e.code
    except OSError as e:
        say(str(e))
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout.flush()


def _open(options):
    if options.command == "up":
        os.makedirs(options.data, exist_ok=True)
    if not os.path.isdir(options.data):
        say("no sandbox in %s (the directory does not exist)" % options.data)
        raise Exit(0 if options.command == "down" else 1)
    sandbox = SandboxDir(options.data)
    if options.command != "status":
        sandbox.lock()
    return sandbox
