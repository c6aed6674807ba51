"""Process bookkeeping: every process the tools start (QEMU, the fabric, host
nodes, test programs) is recorded in a ProcessTable, so that end-of-run
checks can name what is still running and Ctrl-C handlers can end exactly
those processes, by pid, and nothing else.

TABLE is the table of this interpreter; a Cluster records into it unless
given another, and tools/testrun.py runs its test programs through it.
"""

import os
import signal
import subprocess
import time
from pathlib import Path


class ProcessTable:
    """The processes one owner started. `started` holds (pid, what, Popen);
    `children` the program each timeout(1) wrapper runs: (pid, what, argv0)."""

    def __init__(self):
        self.started = []
        self.children = []
        self.child_of = {}     # wrapper pid -> (pid, argv0) of what it runs

    def spawn(self, what, argv, timeout, log, stdin=subprocess.DEVNULL):
        """Start argv under timeout(1), so it dies even if this interpreter
        is killed, with stdout and stderr appended to `log`; the Popen."""
        cmd = ['timeout', '-k', '5', str(int(timeout))] + [str(a) for a in argv]
        with open(log, 'ab') as out:
            p = subprocess.Popen(cmd, stdin=stdin, stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((p.pid, what, p))
        self._note_child(p, what, Path(str(argv[0])).name)
        return p

    def _note_child(self, p, what, prog):
        """Remember the pid of the program timeout(1) runs for p."""
        children = Path(f'/proc/{p.pid}/task/{p.pid}/children')
        for _ in range(100):
            try:
                pids = children.read_text().split()
            except OSError:
                return
            if pids:
                self.children.append((int(pids[0]), what, prog))
                self.child_of[p.pid] = (int(pids[0]), prog)
                return
            time.sleep(0.01)

    def run(self, argv, timeout, **kw):
        """Run argv to completion (killed at `timeout` seconds); returns
        (exit status, or None on timeout; stdout and stderr as text)."""
        argv = [str(a) for a in argv]
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, **kw)
        self.started.append((p.pid, Path(argv[0]).name, p))
        try:
            out, _ = p.communicate(timeout=timeout)
            return p.returncode, out.decode(errors='replace')
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            return None, out.decode(errors='replace') + f'\n[killed after {timeout}s]'

    def crash(self, p):
        """SIGKILL the program the wrapper p runs (not p: timeout(1) then
        exits on its own), with no time to tidy up; reaps p."""
        pid, prog = self.child_of.get(p.pid, (None, None))
        if pid is not None and _running(pid, prog):
            os.kill(pid, signal.SIGKILL)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            end(p)

    def leftover(self):
        """The recorded processes still running, as (pid, what): the ones
        started and the programs timeout(1) runs for them."""
        return [(pid, what) for pid, what, p in self.started if p.poll() is None] + \
            [(pid, what) for pid, what, prog in self.children if _running(pid, prog)]

    def stop_all(self):
        """End every recorded process that still runs, each given time to
        exit (for cleanup after a failure)."""
        for _, _, p in self.started:
            end(p)

    def kill_all(self):
        """SIGKILL every recorded process that still runs, without waiting
        (for signal handlers that exit right after)."""
        for pid, _, prog in self.children:
            if _running(pid, prog):
                os.kill(pid, signal.SIGKILL)
        for _, _, p in self.started:
            if p.poll() is None:
                p.kill()


def _running(pid, prog):
    """Whether pid is alive (not a zombie) and still runs `prog`."""
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
        cmd = Path(f'/proc/{pid}/cmdline').read_bytes().split(b'\0')[0]
    except OSError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] != 'Z' and \
        Path(cmd.decode(errors='replace')).name == prog


def end(p, grace=5.0):
    """Stop a process we started: SIGTERM, then SIGKILL after `grace`
    seconds; reaps it."""
    if p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


TABLE = ProcessTable()
