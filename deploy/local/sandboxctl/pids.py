"""Is a recorded PID still the process it was? Only such PIDs are ever signalled (never by name)."""
import os
import subprocess


def cmdline(pid):
    """The arguments of `pid` ([] when it is gone or a zombie)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            raw = f.read()
        return [a.decode("utf-8", "replace") for a in raw.split(b"\0")[:-1]] if raw else []
    except FileNotFoundError:
        return []
    except OSError:
        pass
    if not alive(pid):
        return []
    # No readable /proc (not Linux): ps, split on spaces.
    out = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True)
    return out.stdout.split()


def alive(pid):
    """kill -0: the PID exists (possibly as a zombie) and we may signal it."""
    try:
        os.kill(pid, 0)
        return True
    except OSError:  # gone, or another user's: never ours to stop
        return False


def gone(pid):
    """True when `pid` has ended: gone, or a zombie its parent has not reaped yet."""
    if not alive(pid):
        return True
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        # "pid (comm) state ...": comm may hold spaces or parentheses, so read after the last ')'
        state = stat[stat.rindex(")") + 2 :][:1]
    except (OSError, ValueError):
        out = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
        state = out.stdout.strip()[:1]
    return state in ("Z", "X")


def _runs(pid, program, *flag_values):
    """`pid` is alive, runs `program` and has each (flag, value) pair among its arguments."""
    if pid is None or not alive(pid):
        return False
    args = cmdline(pid)
    if not args or not os.path.basename(args[0]).startswith(program):
        return False
    pairs = set(zip(args, args[1:]))
    return all(pair in pairs for pair in flag_values)


def is_node(pid, data, node):
    return _runs(pid, "java", ("--node-id", node.id), ("--data-dir", os.path.join(data, node.id)))


def is_proxy(pid, data, proxy):
    return _runs(
        pid,
        "java",
        ("--shard-map", os.path.join(data, "shards.json")),
        ("--http-port", str(proxy.port)),
    )


def is_haproxy(pid, data):
    return _runs(pid, "haproxy", ("-f", os.path.join(data, "haproxy.cfg")))
