#!/usr/bin/env python3
"""Check an ext2/ext3 disk image against what tests/progs/fsyncer printed:
every file it said was synced ("synced fNNNN" in OUTPUT) must be in DIR on
the image with exactly the bytes fsyncer wrote (its rule is repeated here).
The image is read with debugfs (read-only), so the sComponent that uses it
must be idle or down.

    crashcheck.py IMAGE DIR OUTPUT

Prints "synced=N present=N" (N files named in OUTPUT, N files found in DIR)
and exits 0 when all hold; otherwise also one line on stderr per file
that is missing or wrong, and exits 1.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SIZE_MAX = 20480


def expected(i):
    size = 1 + (i * 4099) % SIZE_MAX
    return bytes((i * 31 + k * 7 + (k >> 8)) & 0xff for k in range(size))


def synced(output):
    return sorted({int(n) for n in re.findall(r'^synced f(\d+)$', output, re.M)})


def dump(image, d, into):
    """rdump DIR of image into the host directory `into`; the dumped path."""
    env = {**os.environ, 'PATH': '/sbin:/usr/sbin:' + os.environ['PATH']}
    r = subprocess.run(['debugfs', '-R', f'rdump {d} {into}', str(image)],
                       capture_output=True, text=True, env=env)
    if r.returncode:
        raise SystemExit(f'debugfs on {image} failed: {r.stderr.strip()[-300:]}')
    return Path(into) / Path(d).name


def main(argv):
    if len(argv) != 4:
        print('usage: crashcheck.py IMAGE DIR OUTPUT', file=sys.stderr)
        return 2
    image, d, output = argv[1], argv[2], Path(argv[3]).read_text(errors='replace')
    names = synced(output)
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        got = dump(image, d, tmp)
        present = len(list(got.iterdir())) if got.is_dir() else 0
        for i in names:
            f = got / f'f{i:04d}'
            if not f.exists():
                bad.append(f'f{i:04d}: missing')
            elif f.read_bytes() != expected(i):
                bad.append(f'f{i:04d}: {f.stat().st_size} bytes, not the '
                           f'{len(expected(i))} written')
    print(f'synced={len(names)} present={present}')
    for line in bad:
        print(line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
