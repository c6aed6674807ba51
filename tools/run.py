#!/usr/bin/env python3
"""`make run`: boot a cluster (default: clusters/default.conf: the three
managers, p0, m0 and s0), show every component's console, each line prefixed
with the node's name, until all components have registered; then run
programs in a vNode through the real CLI (build/host/tessera run), their
output passed straight through: by default a demo (busybox `uname -a` and
`echo`), with --prog "PATH ARGS..." that program instead (`make run
PROG="/tests/hello-musl"`). The exit status is the last program's. With
--hold, keep the cluster up until Ctrl-C (the CLI works against it:
TESSERA_SOCKET=build/rig/default/gpm.cli build/host/tessera nodes).
Everything started is stopped on exit, error or Ctrl-C. The storage
component runs on the user's disk, build/disk/user.img, kept across runs
(tools/disks.py)."""

import argparse
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402
from cluster import Cluster  # noqa: E402

DEMO = ['/bin/busybox uname -a', '/bin/busybox echo hello from a vNode']


def stream(cluster, shown):
    """Print console text that appeared since the last call."""
    for n in cluster.conf.nodes:
        text = cluster.console_text(n.name)
        new, shown[n.name] = text[shown.get(n.name, 0):], len(text)
        for line in new.splitlines():
            print(f'{n.name:>4} | {line}', flush=True)


def boot(cluster, shown, timeout):
    cluster.start(wait=False)
    deadline = time.monotonic() + timeout
    waiting = {n.name: cluster.ready_line(n.name) for n in cluster.conf.nodes}
    while waiting and time.monotonic() < deadline:
        stream(cluster, shown)
        waiting = {w: line for w, line in waiting.items()
                   if line not in cluster.console_text(w)}
        time.sleep(0.2)
    stream(cluster, shown)
    if waiting:
        sys.exit(f'run: not ready after {timeout:.0f}s: {" ".join(sorted(waiting))}')
    print(f'run: cluster {cluster.name} is up ({len(cluster.conf.nodes)} components, '
          f'accelerator {cluster.accel})', flush=True)


def run_prog(cluster, prog):
    """`tessera run PROG` against the cluster's GPM; its exit status."""
    gpm = next(n.name for n in cluster.conf.nodes if n.role == 'gpm')
    words = shlex.split(prog)
    print(f'$ tessera run {prog}', flush=True)
    r = subprocess.run([str(paths.CLI_BIN), '--socket', str(cluster.cli_path(gpm)), 'run']
                       + words, stdin=subprocess.DEVNULL)
    print(f'[exit {r.returncode}]', flush=True)
    return r.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--cluster', default='default')
    ap.add_argument('--hold', action='store_true', help='stay up until Ctrl-C')
    ap.add_argument('--timeout', type=float, default=60, help='seconds to wait for ready')
    ap.add_argument('--prog', help='"PATH ARGS..." to run in a vNode instead of the demo')
    a = ap.parse_args()
    c = Cluster(a.cluster, user_disk=True)
    shown = {}
    status = 0
    try:
        boot(c, shown, a.timeout)
        for prog in [a.prog] if a.prog else DEMO:
            status = run_prog(c, prog)
        while a.hold:
            stream(c, shown)
            time.sleep(0.5)
    except KeyboardInterrupt:
        print('run: interrupted', flush=True)
    finally:
        c.stop()
    sys.exit(status)


if __name__ == '__main__':
    main()
