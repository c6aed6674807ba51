#!/usr/bin/env python3
"""Monitor <-> Linux rpc-client over the fabric: boots clusters/rpc-serve.conf
(or --cluster), attaches build/host/rpc-client as an extra fabric port, runs
--count checked echo calls on --threads threads against every monitor, and
prints the client's RPC lines. Exit status 0 only if every call succeeded.

    python3 tests/net/rpc_client_vm.py [--cluster NAME] [--count N]
                                       [--threads T] [--drop P --dup P
                                       --reorder P]
"""

import argparse
import subprocess
import time
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import rig  # noqa: E402

CLIENT = ROOT / 'build' / 'host' / 'rpc-client'
CLIENT_IP = '10.77.0.200'
CLIENT_MAC = '52:54:00:77:00:c8'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cluster', default='rpc-serve')
    ap.add_argument('--count', type=int, default=2000)
    ap.add_argument('--threads', type=int, default=4)
    ap.add_argument('--drop', type=float, default=0.0)
    ap.add_argument('--dup', type=float, default=0.0)
    ap.add_argument('--reorder', type=float, default=0.0)
    ap.add_argument('--timeout', type=float, default=600.0)
    a = ap.parse_args()
    with rig.Cluster(str(ROOT / 'clusters' / f'{a.cluster}.conf')) as c:
        peers = ','.join(n.ip for n in c.conf.nodes)
        sock = c.dir / 'rpc-client.sock'
        sock.unlink(missing_ok=True)
        argv = [str(CLIENT), '--listen', str(sock), '--ip', CLIENT_IP,
                '--mac', CLIENT_MAC, '--peers', peers,
                '--count', str(a.count), '--threads', str(a.threads)]
        proc = subprocess.Popen(['timeout', str(int(a.timeout))] + argv)
        while not sock.exists():
            if proc.poll() is not None:
                return 1
            time.sleep(0.01)
        c.fabric(f'add rpc-client connect {sock}')
        if a.drop or a.dup or a.reorder:
            c.set_fault('all', drop=a.drop, dup=a.dup, reorder=a.reorder)
        return proc.wait()


if __name__ == '__main__':
    sys.exit(main())
