#!/usr/bin/env python3
"""`make run`: boot a cluster (default: clusters/default.conf) and show every
component's console, each line prefixed with the node's name, until all
components are ready; with --hold, keep the cluster up until Ctrl-C.
Everything started is stopped on exit, error or Ctrl-C."""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rig  # noqa: E402


def stream(cluster, shown):
    """Print console text that appeared since the last call."""
    for n in cluster.conf.nodes:
        text = cluster.console_text(n.name)
        new, shown[n.name] = text[shown.get(n.name, 0):], len(text)
        for line in new.splitlines():
            print(f'{n.name:>4} | {line}', flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--cluster', default='default')
    ap.add_argument('--hold', action='store_true', help='stay up until Ctrl-C')
    ap.add_argument('--timeout', type=float, default=60, help='seconds to wait for ready')
    ap.add_argument('--prog', help='program to run in a vNode (not available yet)')
    a = ap.parse_args()
    if a.prog:
        sys.exit('run: running programs in a vNode is not implemented yet')
    c = rig.Cluster(a.cluster)
    shown = {}
    try:
        c.start(wait=False)
        deadline = time.monotonic() + a.timeout
        waiting = {n.name for n in c.conf.nodes}
        while waiting and time.monotonic() < deadline:
            stream(c, shown)
            waiting = {w for w in waiting
                       if rig.READY.format(w) not in c.console_text(w)}
            time.sleep(0.2)
        stream(c, shown)
        if waiting:
            sys.exit(f'run: not ready after {a.timeout:.0f}s: {" ".join(sorted(waiting))}')
        print(f'run: cluster {c.name} is up ({len(c.conf.nodes)} components, '
              f'accelerator {c.accel})', flush=True)
        while a.hold:
            stream(c, shown)
            time.sleep(0.5)
    except KeyboardInterrupt:
        print('run: interrupted', flush=True)
    finally:
        c.stop()


if __name__ == '__main__':
    main()
