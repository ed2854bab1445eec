"""The processes this run spawns: started in a session of their own, and reaped when they end."""
import subprocess
import time


class Children:
    def __init__(self):
        self._by_pid = {}

    def spawn(self, args, cwd, log_path, header):
        """Starts `args` in `cwd` with stdout and stderr appended to `log_path` after `header`."""
        with open(log_path, "ab") as log:
            log.write(
                (
                    "\n=== sandbox up %s: %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S%z"), header)
                ).encode()
            )
            log.flush()
            # A session of its own, so that the terminal's SIGHUP/SIGINT does not reach it; no fd of
            # ours (the lock on DIR included) is inherited.
            process = subprocess.Popen(
                args,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        self._by_pid[process.pid] = process
        return process.pid

    def exit_status(self, pid):
        """The exit status of a child that has ended, as a shell reports it (128+N for signal N), or
        None while it runs or when it is not our child."""
        process = self._by_pid.get(pid)
        if process is None or process.poll() is None:
            return None
        code = process.returncode
        return 128 - code if code < 0 else code

    def reap(self, pid):
        process = self._by_pid.get(pid)
        if process is not None:
            process.poll()
