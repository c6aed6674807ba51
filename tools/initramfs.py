#!/usr/bin/env python3
"""Builds the Linux guest's initramfs (build/linux/initramfs.cpio): an
uncompressed newc cpio archive (no compression: TCG unpacks it faster than
it inflates gzip) written here, with no cpio(1) needed.

    initramfs.py --out FILE --init tests/linux/init [--kver VERSION]
                 --modules MOD,... [--extra-modules MOD,...] [--bin FILE ...]

Contents:
  /init                     the guest's init (a busybox sh script)
  /bin/busybox              the host's static busybox; init installs the
                            applet links at boot
  /bin/<name>               every --bin file (static programs)
  /lib/modules/<mod>.ko     the named modules and everything they depend
                            on, found with `modprobe -S VERSION
                            --show-depends` against the installed kernel's
                            modules (VERSION: the kernel the rig boots,
                            paths.linux_kernel()); /lib/modules/load.order
                            lists those of --modules in the order init
                            loads them at boot; those only --extra-modules
                            needs are packed for later (`insmod
                            /lib/modules/brd.ko rd_size=...`)
  /dev/console, /dev/null   device nodes the kernel and init need before
                            devtmpfs is mounted
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402

BUSYBOX = Path('/bin/busybox')
DIR, FILE, CHR = 0o040755, 0o100755, 0o020600


def module_files(kver, mods):
    """The .ko files of `mods` and their dependencies, in load order."""
    order = []
    for mod in mods:
        r = subprocess.run(['modprobe', '-S', kver, '--show-depends', mod],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit(f'initramfs: module {mod}: {r.stderr.strip()}')
        for line in r.stdout.splitlines():
            m = re.match(r'insmod (\S+\.ko(?:\.xz|\.zst)?)', line)
            if m and m.group(1) not in order:
                if not m.group(1).endswith('.ko'):
                    sys.exit(f'initramfs: {m.group(1)} is compressed; '
                             'busybox insmod needs plain .ko files')
                order.append(m.group(1))
    return order


class Cpio:
    """newc archive writer."""

    def __init__(self, out):
        self.out = out
        self.ino = 0

    def entry(self, name, mode, data=b'', rdev=(0, 0)):
        self.ino += 1
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name) + 1, 0)
        hdr = b'070701' + b''.join(b'%08x' % f for f in fields)
        self.out.write(hdr + name.encode() + b'\0')
        self._pad(len(hdr) + len(name) + 1)
        self.out.write(data)
        self._pad(len(data))

    def _pad(self, n):
        self.out.write(b'\0' * (-n % 4))

    def close(self):
        self.entry('TRAILER!!!', 0)


def build(a):
    kver = a.kver or paths.linux_kernel()[1]
    kos = module_files(kver, a.modules.split(',')) if a.modules else []
    extra = [k for k in module_files(kver, a.extra_modules.split(','))
             if k not in kos] if a.extra_modules else []
    tmp = Path(str(a.out) + '.tmp')
    with open(tmp, 'wb') as f:
        c = Cpio(f)
        for d in ('bin', 'dev', 'proc', 'sys', 'tmp', 'run', 'lib', 'lib/modules', 'etc'):
            c.entry(d, DIR)
        c.entry('dev/console', CHR, rdev=(5, 1))
        c.entry('dev/null', CHR | 0o666, rdev=(1, 3))
        c.entry('init', FILE, Path(a.init).read_bytes())
        c.entry('bin/busybox', FILE, BUSYBOX.read_bytes())
        for b in a.bin:
            c.entry(f'bin/{Path(b).name}', FILE, Path(b).read_bytes())
        for ko in kos + extra:
            c.entry(f'lib/modules/{Path(ko).name}', 0o100644, Path(ko).read_bytes())
        order = ''.join(Path(ko).name + '\n' for ko in kos)
        c.entry('lib/modules/load.order', 0o100644, order.encode())
        c.close()
    os.replace(tmp, a.out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--init', required=True)
    ap.add_argument('--kver')
    ap.add_argument('--modules', default='')
    ap.add_argument('--extra-modules', default='')
    ap.add_argument('--bin', action='append', default=[])
    build(ap.parse_args())


if __name__ == '__main__':
    main()
