#!/usr/bin/env python3
"""The rig's command line: boots a Tessera cluster (clusters/*.conf, see
tools/clusterfile.py) and keeps it up, and drives a cluster that `up` is
running from another shell through its build/rig/<cluster>/rig.sock.

    rig.py up [CLUSTER] [--name RUN] [--timeout S]   until Ctrl-C or down
    rig.py check FILE...                 validate cluster files
    rig.py fault RUN WORDS...            a fabric command ("set all drop=0.1",
                                         "down p0", "partition a b", "heal")
    rig.py stats RUN                     fabric counters
    rig.py kill|start|restart RUN NODE   one node of a running cluster
    rig.py send RUN NODE LINE            a command line to a host node or
                                         manager (see tools/cluster.py)
    rig.py down RUN                      stop a cluster started with up

The Python API is tools/cluster.py (Cluster); this file only serves it.
"""

import argparse
import signal
import socket
import sys
import threading

import paths
from cluster import Cluster, RigError
from clusterfile import ConfigError, find_cluster, parse_cluster
from fabric_ctl import FabricError, fabric_command


def _serve(cluster, stop):
    """rig.sock: lets `rig.py kill|start|restart|send|down` reach `up`."""
    path = cluster.dir / 'rig.sock'
    if path.exists():
        path.unlink()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(str(path))
    srv.listen(4)
    srv.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        with conn:
            conn.sendall(_serve_one(cluster, conn.recv(4096).decode(), stop).encode())
    srv.close()
    path.unlink()


def _serve_one(cluster, line, stop):
    words = line.split(None, 2)
    try:
        if words[0] == 'down':
            stop.set()
        elif words[0] in ('kill', 'start', 'restart'):
            {'kill': cluster.kill_node, 'start': cluster.start_node,
             'restart': cluster.restart_node}[words[0]](words[1])
        elif words[0] == 'send':
            cluster.send(words[1], words[2].strip())
        else:
            return f'err unknown request {words[0]}\n'
    except (RigError, IndexError, OSError) as e:
        return f'err {e}\n'
    return 'ok\n'


def _request(cluster_name, line):
    path = paths.RIG_RUNS / cluster_name / 'rig.sock'
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(300)
        s.connect(str(path))
        s.sendall(line.encode())
        reply = s.recv(4096).decode().strip()
    print(reply)
    return 0 if reply == 'ok' else 1


def cmd_up(a):
    c = Cluster(a.cluster, name=a.name, timeout=a.timeout)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    try:
        c.start()
        print(f'{c.name}: up (accel={c.accel} seed={c.seed}); consoles in '
              f'{c.dir}; Ctrl-C or `rig.py down {c.name}` stops it', flush=True)
        threading.Thread(target=_serve, args=(c, stop), daemon=True).start()
        stop.wait(max(c._left() - 5, 0))
    except KeyboardInterrupt:
        pass
    except RigError as e:
        print(f'rig: {e}', file=sys.stderr)
        return 1
    finally:
        stop.set()
        c.stop()
    return 0


def cmd_check(a):
    bad = 0
    for f in a.files:
        try:
            conf = parse_cluster(find_cluster(f))
            print(f'{conf.path}: ok, {len(conf.nodes)} nodes')
        except ConfigError as e:
            print(e)
            bad += 1
    return 1 if bad else 0


def cmd_fabric(a):
    ctl = paths.RIG_RUNS / a.name / 'fabric.ctl'
    words = a.words if a.cmd == 'fault' else ['stats']
    try:
        for line in fabric_command(ctl, ' '.join(words)) or ['ok']:
            print(line)
    except (FabricError, OSError) as e:
        print(f'rig: {e}', file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description='Boot and drive a Tessera cluster.')
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('up', help='boot a cluster and keep it up until Ctrl-C')
    p.add_argument('cluster', nargs='?', default='default')
    p.add_argument('--name', help='run name (default: the cluster file name)')
    p.add_argument('--timeout', type=int, default=3600, help='seconds, then stop')
    p = sub.add_parser('check', help='validate cluster files')
    p.add_argument('files', nargs='+')
    p = sub.add_parser('fault', help='a fabric control command, e.g. '
                       '"set all drop=0.1", "down p0", "partition a b", "heal"')
    p.add_argument('name')
    p.add_argument('words', nargs='+')
    p = sub.add_parser('stats', help='fabric counters')
    p.add_argument('name')
    for verb in ('kill', 'start', 'restart'):
        p = sub.add_parser(verb, help=f'{verb} one node of a running cluster')
        p.add_argument('name')
        p.add_argument('node')
    p = sub.add_parser('send', help='a command line to a host node')
    p.add_argument('name')
    p.add_argument('node')
    p.add_argument('line')
    p = sub.add_parser('down', help='stop a cluster started with up')
    p.add_argument('name')
    a = ap.parse_args(argv)
    if a.cmd == 'up':
        return cmd_up(a)
    if a.cmd == 'check':
        return cmd_check(a)
    if a.cmd in ('fault', 'stats'):
        return cmd_fabric(a)
    line = ' '.join([a.cmd] + [getattr(a, k) for k in ('node', 'line') if hasattr(a, k)])
    return _request(a.name, line)


if __name__ == '__main__':
    sys.exit(main())
