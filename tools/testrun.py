#!/usr/bin/env python3
"""Runs every Tessera test and prints one verdict line per test, then the
closing line "N passed, N failed[, N skipped]". Exit status 0 only if
nothing failed.

Suites, in order:
  host      every host unit test program (build/host/test/*), TAP
  kernel    each monitor image booted directly (PVH, qboot) with ktest=all,
            KTAP from the serial console, verdict also from the exit status
  fault     ktest=fault-demo must end in a register dump and a failure exit
  grub      build/tessera.iso booted through GRUB, each menu entry once
  rules     house rules: include discipline, no host networking options
  scenarios multi-VM scenarios (tests/scenarios, tools/scenario.py)
  procs     no QEMU or fabric process started by this run is left

Usage: testrun.py [SUITE ...]   (default: all suites)
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / 'build'
sys.path.insert(0, str(ROOT / 'tools'))

import rig  # noqa: E402  (pick_accel, process bookkeeping)

QBOOT = '/usr/share/qemu/qboot.rom'
EXIT_PASS, EXIT_FAIL = 33, 35   # isa-debug-exit: (0x10 << 1) | 1, (0x11 << 1) | 1
BOOT_TIMEOUT = 120              # seconds for one in-kernel test run
TAP_LINE = re.compile(r'^(not ok|ok) (\d+) (\S+)(.*)$')
PLAN_LINE = re.compile(r'^1\.\.(\d+)')

# Every process this run starts, so that the end check and Ctrl-C can find
# them: pid -> argv[0].
OURS = {}


class Results:
    """Collects verdicts and prints them as they come."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.n = 0
        self.failures = []

    def add(self, name, ok, detail='', skip=None):
        self.n += 1
        if skip:
            self.skipped += 1
            print(f'ok {self.n} {name} # SKIP {skip}', flush=True)
            return
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(name)
        print(f'{"ok" if ok else "not ok"} {self.n} {name}', flush=True)
        if detail and not ok:
            for line in detail.rstrip().splitlines()[-40:]:
                print(f'#   {line}', flush=True)

    def closing(self):
        line = f'{self.passed} passed, {self.failed} failed'
        if self.skipped:
            line += f', {self.skipped} skipped'
        return line


def run_tracked(argv, timeout, **kw):
    """Run argv to completion (or kill it at timeout); returns
    (returncode or None on timeout, output)."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, **kw)
    OURS[p.pid] = argv[0]
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors='replace')
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        return None, out.decode(errors='replace') + f'\n[killed after {timeout}s]'


def parse_tap(text):
    """(plan or None, [(ok, name)], diagnostics-by-index)"""
    plan, cases = None, []
    for raw in text.splitlines():
        line = raw.strip('\r')
        m = PLAN_LINE.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = TAP_LINE.match(line)
        if m:
            cases.append((m.group(1) == 'ok', m.group(3)))
    return plan, cases


def report_tap(res, prefix, text, rc, rc_ok):
    """One verdict per TAP case, plus one for the run as a whole (plan
    complete and exit status as expected)."""
    plan, cases = parse_tap(text)
    for ok, name in cases:
        res.add(f'{prefix}/{name}', ok, text if not ok else '')
    whole = plan is not None and plan == len(cases) and rc_ok(rc)
    why = f'plan={plan} ran={len(cases)} exit={rc}'
    res.add(f'{prefix}/complete', whole, '' if whole else why + '\n' + text)


# ---------------------------------------------------------------- host

def suite_host(res):
    tests = sorted(p for p in (BUILD / 'host' / 'test').glob('*')
                   if p.is_file() and os.access(p, os.X_OK))
    if not tests:
        res.add('host/found-tests', False, 'no host test programs were built')
    for t in tests:
        rc, out = run_tracked([str(t)], timeout=300, cwd=ROOT)
        report_tap(res, f'host/{t.name}', out, rc, lambda r: r == 0)


# ---------------------------------------------------------------- kernel

def qemu_base(accel):
    return ['qemu-system-x86_64', '-M', 'pc', '-accel', accel, '-cpu', 'max',
            '-m', '256M', '-nographic', '-no-reboot', '-nodefaults',
            '-serial', 'stdio', '-monitor', 'none',
            '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']


def image_devices(image, tmp):
    """Devices each image's in-kernel tests exercise. No host network: the
    two NICs of the processor image are joined only by a QEMU hub."""
    if image == 'processor':
        return ['-netdev', 'hubport,id=h0,hubid=0',
                '-device', 'virtio-net-pci,netdev=h0,mac=52:54:00:00:00:01,disable-legacy=on',
                '-netdev', 'hubport,id=h1,hubid=0',
                '-device', 'virtio-net-pci,netdev=h1,mac=52:54:00:00:00:02,disable-legacy=on']
    if image == 'storage':
        disk = Path(tmp) / 'disk.raw'
        with open(disk, 'wb') as f:
            f.truncate(16 << 20)
        return ['-drive', f'file={disk},if=none,format=raw,id=d0',
                '-device', 'virtio-blk-pci,drive=d0,disable-legacy=on']
    return []


def boot_direct(image, args, accel, devices=()):
    argv = qemu_base(accel) + ['-bios', QBOOT, '-kernel', str(BUILD / f'{image}.elf'),
                               '-append', args] + list(devices)
    return run_tracked(argv, BOOT_TIMEOUT)


def suite_kernel(res):
    accel = rig.pick_accel()
    print(f'# kernel: accelerator {accel}', flush=True)
    for image in ('processor', 'memory', 'storage'):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.monotonic()
            rc, out = boot_direct(image, 'ktest=all', accel, image_devices(image, tmp))
            print(f'# kernel/{image}: {time.monotonic() - t0:.1f}s', flush=True)
        report_tap(res, f'kernel/{image}', out, rc, lambda r: r == EXIT_PASS)


def suite_fault(res):
    rc, out = boot_direct('memory', 'ktest=fault-demo', rig.pick_accel())
    dumped = 'EXCEPTION 14 (page fault)' in out and 'cr2' in out and 'rip=' in out
    res.add('fault/demo-dumps-registers', dumped, out)
    res.add('fault/demo-exits-with-failure', rc == EXIT_FAIL, f'exit={rc}\n{out}')


# ---------------------------------------------------------------- grub

def suite_grub(res):
    iso = BUILD / 'tessera.iso'
    if not iso.exists():
        res.add('grub/iso-built', False, f'{iso} is missing (make iso)')
        return
    accel = rig.pick_accel()
    for entry, image in enumerate(('processor', 'memory', 'storage')):
        argv = qemu_base(accel) + ['-cdrom', str(iso), '-smbios',
                                   f'type=11,value=tessera:{entry}:ktest=all']
        rc, out = run_tracked(argv, BOOT_TIMEOUT)
        booted = f'Tessera {image} monitor (boot: multiboot2' in out
        res.add(f'grub/{image}/booted-via-multiboot2', booted, out)
        report_tap(res, f'grub/{image}', out, rc, lambda r: r == EXIT_PASS)


# ---------------------------------------------------------------- rules

FORBIDDEN_NET = re.compile(
    r'(-nic\s+(user|tap|bridge)|-netdev\s+(user|tap|bridge)|'
    r'\b(user|tap|bridge),id=|slirp)')


def suite_rules(res):
    rc, out = run_tracked(['sh', str(ROOT / 'tools' / 'check-includes.sh')], 60, cwd=ROOT)
    res.add('rules/include-discipline', rc == 0, out)
    rc, out = run_tracked(['git', 'ls-files'], 60, cwd=ROOT)
    bad = []
    for rel in out.split():
        path = ROOT / rel
        if rel == 'tools/testrun.py' or not path.is_file():
            continue
        try:
            text = path.read_text(errors='replace')
        except OSError:
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if FORBIDDEN_NET.search(line):
                bad.append(f'{rel}:{i}: {line.strip()}')
    res.add('rules/no-host-networking-options', not bad, '\n'.join(bad))


# ---------------------------------------------------------------- scenarios

def suite_scenarios(res):
    try:
        import scenario
    except ImportError as e:
        res.add('scenarios/loaded', False, str(e))
        return
    for name, ok, detail, *rest in scenario.run_all():
        skip = rest[0] if rest else None
        res.add(f'scenario/{name}', ok, detail, skip=skip)


# ---------------------------------------------------------------- procs

def alive(pid, prog):
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            argv0 = f.read().split(b'\0')[0].decode(errors='replace')
    except OSError:
        return False
    return os.path.basename(argv0) == os.path.basename(prog)


def suite_procs(res):
    left = [f'{pid} {prog}' for pid, prog in OURS.items() if alive(pid, prog)]
    left += [f'{pid} {what}' for pid, what in rig.leftover_processes()]
    res.add('procs/nothing-left-running', not left, '\n'.join(left))


SUITES = {
    'host': suite_host,
    'kernel': suite_kernel,
    'fault': suite_fault,
    'grub': suite_grub,
    'rules': suite_rules,
    'scenarios': suite_scenarios,
}


def cleanup(*_):
    for pid, prog in OURS.items():
        if alive(pid, prog):
            os.kill(pid, signal.SIGKILL)
    sys.exit(130)


def main():
    names = sys.argv[1:] or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        sys.exit(f'testrun: unknown suite {unknown[0]}; suites: {" ".join(SUITES)}')
    signal.signal(signal.SIGINT, cleanup)
    signal.signal(signal.SIGTERM, cleanup)
    res = Results()
    t0 = time.monotonic()
    print('TAP version 13', flush=True)
    for n in names:
        SUITES[n](res)
    suite_procs(res)
    print(f'1..{res.n}')
    print(f'# {time.monotonic() - t0:.0f}s; failed: {" ".join(res.failures) or "none"}')
    print(res.closing())
    return 1 if res.failed else 0


if __name__ == '__main__':
    sys.exit(main())
