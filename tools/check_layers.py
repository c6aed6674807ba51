#!/usr/bin/env python3
"""The one-way order of folders, checked on every #include.

Layers, lowest first; a file may include only headers of its own layer or
a lower one:

  core     arch/x86, kernel, kernel/lib, kernel/drivers;  <tessera/*.h>
  net      net/ (the transport);                  <tessera/net/*>, <tessera/wire/*>
  cluster  cluster/ (membership, peers, boot wiring, diagnostics);
                                                  <tessera/cluster/*>
  abi      linux-abi/;                            <tessera/uapi/*>
  roles    processor/, memory/, storage/
  host     managers/, tools/, tests/ (Linux programs and tests)

A header under include/tessera/ belongs to the layer its path names. Also:
portable code (everything but arch/ and host programs) never includes an
arch folder's headers, and the roles never include one another's.

Usage: check_layers.py [--extra PATH LINE]...
  --extra adds LINE to file PATH (as if it were written there) before
  checking, so a test can show that a bad include is caught.
Prints each violation as file:line and exits 1 if there was any.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = [
    ('core', ('arch/x86', 'kernel', 'kernel/lib', 'kernel/drivers'), ('tessera/',)),
    ('net', ('net',), ('tessera/net/', 'tessera/wire/')),
    ('cluster', ('cluster',), ('tessera/cluster/',)),
    ('abi', ('linux-abi',), ('tessera/uapi/',)),
    ('roles', ('processor', 'memory', 'storage'), ()),
    ('host', ('managers', 'tools', 'tests'), ()),
]
RANK = {name: i for i, (name, _, _) in enumerate(LAYERS)}
ROLES = ('processor', 'memory', 'storage')
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def top_folder(path):
    """The layer folder a repository path lies in (longest match), or None."""
    best = None
    for _, folders, _ in LAYERS:
        for f in folders:
            if (path == f or path.startswith(f + '/')) and (best is None or len(f) > len(best)):
                best = f
    return best


def folder_layer(folder):
    for name, folders, _ in LAYERS:
        if folder in folders:
            return name
    return None


def header_layer(inc):
    """Layer of a <tessera/...> header, by the longest matching prefix."""
    best, length = None, -1
    for name, _, prefixes in LAYERS:
        for p in prefixes:
            direct = p == 'tessera/' and '/' not in inc[len(p):]
            if inc.startswith(p) and (p != 'tessera/' or direct) and len(p) > length:
                best, length = name, len(p)
    return best


def file_layer(path):
    if path.startswith('include/'):
        return header_layer(path[len('include/'):]), None
    folder = top_folder(path)
    return (folder_layer(folder) if folder else None), folder


def check_include(path, layer, folder, bracket, inc):
    """A violation message for one include, or None."""
    if bracket == '<':
        if not inc.startswith('tessera/'):
            return None
        target, tfolder = header_layer(inc), None
    else:
        tfolder = top_folder(inc)
        if tfolder is None:
            return None
        target = folder_layer(tfolder)
    if target is None:
        return f'{inc} belongs to no layer'
    if RANK[target] > RANK[layer]:
        return f'{layer} code includes {inc} ({target} layer)'
    portable = layer != 'host' and not path.startswith('arch/')
    if portable and tfolder and tfolder.startswith('arch/'):
        return f'portable code includes the arch header {inc}'
    if folder in ROLES and tfolder in ROLES and tfolder != folder:
        return f'role {folder} includes role {tfolder}\'s header {inc}'
    return None


def sources():
    out = subprocess.run(['git', 'ls-files', '*.c', '*.h', '*.S'], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def check(extra):
    bad = []
    paths = set(sources()) | set(extra)
    for path in sorted(paths):
        layer, folder = file_layer(path)
        if layer is None:
            continue
        file = ROOT / path
        lines = file.read_text(errors='replace').splitlines() if file.exists() else []
        lines += extra.get(path, [])
        for i, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            why = m and check_include(path, layer, folder, m.group(1), m.group(2))
            if why:
                bad.append(f'{path}:{i}: {why}')
    return bad


def main(argv):
    extra = {}
    while argv[:1] == ['--extra'] and len(argv) >= 3:
        extra.setdefault(argv[1], []).append(argv[2])
        argv = argv[3:]
    if argv:
        sys.exit(__doc__.split('Usage: ')[1].split('\n')[0])
    bad = check(extra)
    if bad:
        print('includes against the order of folders (tools/check_layers.py):')
        print('\n'.join(bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
