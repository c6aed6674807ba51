"""Talking to a running fabric (build/host/fabric) over its control socket:
one command line in, reply lines out, and the parsed `stats` reply. The
fault names here are the fabric's vocabulary, shared with cluster files.
"""

import re
import socket

FAULT_KEYS = ('latency_us', 'drop', 'dup', 'reorder', 'reorder_us')


class FabricError(Exception):
    """The fabric answered a command with "err ..." (or not at all)."""


def fabric_command(ctl, line, timeout=10.0):
    """Send one control command to a fabric; returns its reply lines (without
    the final "ok"); FabricError on "err ..."."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(ctl))
        s.sendall(line.encode() + b'\n')
        buf = b''
        while not re.search(rb'(^|\n)(ok|err[^\n]*)\n$', buf):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    lines = buf.decode().splitlines()
    if not lines or lines[-1] != 'ok':
        raise FabricError(f'fabric: {line}: {lines[-1] if lines else "no reply"}')
    return lines[:-1]


def parse_stats(lines):
    """stats reply lines -> {port: {counter: int, 'state': str}, 'total': {...}}"""
    out = {}
    for line in lines:
        words = line.split()
        if words[0] == 'port':
            out[words[1]] = _kv(words[2:])
        elif words[0] == 'total':
            out['total'] = _kv(words[1:])
        elif words[0].startswith('held='):
            out['total']['held'] = int(words[0][5:])
    return out


def _kv(words):
    d = {}
    for w in words:
        k, v = w.split('=', 1)
        d[k] = int(v) if v.isdigit() else v
    return d


def fault_words(faults):
    """{'drop': 0.1} -> "drop=0.1", the fabric's `set` arguments."""
    return ' '.join(f'{k}={v}' for k, v in faults.items())
