#!/usr/bin/env python3
"""Runs every Tessera test and prints one verdict line per test, then the
closing line "N passed, N failed[, N skipped]". Exit status 0 only if
nothing failed.

Suites, in order:
  host      every host unit test program (build/host/test/*), TAP
  host-san  the same programs built with ASan and UBSan (build/host-san/)
  fuzz      a short run of every libFuzzer target (tests/fuzz, tools/fuzz.py)
            and a replay of the crash inputs kept in tests/fuzz/crashes/
  kernel    each test image (build/test/<role>.elf) booted directly (PVH,
            qboot) with ktest=all, on one CPU and on two, KTAP from the
            serial console, verdict also from the exit status
  fault     ktest=fault-demo must end in a register dump and a failure exit
  lockrank  ktest=lockrank-demo takes two locks against their ranks: it must
            panic naming both locks and end in a failure exit
  grub      build/test/tessera.iso booted through GRUB, each menu entry once
            under SeaBIOS and once under OVMF (UEFI)
  rules     house rules: include discipline, no host networking options
  abi       the differential ABI suite (tests/abi, tools/abisuite.py): each
            program built with glibc and musl, run on this host and in a
            vNode of one cluster, stdout and exit status compared
  scenarios multi-VM scenarios (tests/scenarios, tools/scenario.py)
  procs     no QEMU or fabric process started by this run is left

Every QEMU command line comes from tools/qemu_cmd.py; every process is run
through processes.TABLE.

Usage: testrun.py [SUITE ...]   (default: all suites)
"""

import os
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzz  # noqa: E402
import paths  # noqa: E402
from processes import TABLE, end  # noqa: E402
from qemu_cmd import EXIT_FAIL, EXIT_PASS, FIRMWARES, QemuCommand, pick_accel  # noqa: E402

BOOT_TIMEOUT = 120              # seconds for one in-kernel test run
TAP_LINE = re.compile(r'^(not ok|ok) (\d+) (\S+)(.*)$')
PLAN_LINE = re.compile(r'^1\.\.(\d+)')


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


def parse_tap(text):
    """(plan or None, [(ok, name, the lines printed since the case before)])"""
    plan, cases, since = None, [], []
    for raw in text.splitlines():
        line = raw.strip('\r')
        m = PLAN_LINE.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = TAP_LINE.match(line)
        if m:
            cases.append((m.group(1) == 'ok', m.group(3), '\n'.join(since)))
            since = []
        else:
            since.append(line)
    return plan, cases


def report_tap(res, prefix, text, rc, rc_ok):
    """One verdict per TAP case, with what the case printed when it failed,
    plus one for the run as a whole (plan complete and exit status as
    expected)."""
    plan, cases = parse_tap(text)
    for ok, name, printed in cases:
        res.add(f'{prefix}/{name}', ok, printed)
    whole = plan is not None and plan == len(cases) and rc_ok(rc)
    why = f'plan={plan} ran={len(cases)} exit={rc}'
    res.add(f'{prefix}/complete', whole, '' if whole else why + '\n' + text)


# ---------------------------------------------------------------- host

def host_tests(res, where, suite, env=None):
    tests = sorted(p for p in where.glob('*') if p.is_file() and os.access(p, os.X_OK))
    if not tests:
        res.add(f'{suite}/found-tests', False, f'no host test programs in {where}')
    for t in tests:
        rc, out = TABLE.run([str(t)], timeout=600, cwd=paths.ROOT, env=env)
        report_tap(res, f'{suite}/{t.name}', out, rc, lambda r: r == 0)


def suite_host(res):
    host_tests(res, paths.HOST_TESTS, 'host')


def suite_host_san(res):
    """The host tests built with ASan and UBSan: any report ends the
    program with a failure (fuzz.SAN_ENV)."""
    host_tests(res, paths.HOST_SAN_TESTS, 'host-san', dict(os.environ, **fuzz.SAN_ENV))


def suite_fuzz(res):
    fuzz.smoke(res)


# ---------------------------------------------------------------- kernel

# The processor test image's NICs, all on one test fabric: a virtio-net
# pair and an e1000e pair (virtio-net probes first: eth0, eth1).
TEST_NICS = (('52:54:00:00:00:01', 'virtio'), ('52:54:00:00:00:02', 'virtio'),
             ('52:54:00:00:00:03', 'e1000e'), ('52:54:00:00:00:04', 'e1000e'))
LOCKRANK_LOCKS = ('lockrank-demo-outer', 'lockrank-demo-inner')


def test_vm(image, args, tmp, cpus=1):
    """A VM booting the test image of `image` directly, with the devices its
    in-kernel tests exercise (the storage image: test_disks). No host
    network: the processor image's NICs are joined to each other only,
    through a fabric with its sockets in `tmp` (test_fabric)."""
    q = QemuCommand(ram_mb=256, cpus=cpus).direct(paths.monitor_image(image, test=True), args)
    q.debug_exit()
    if image == 'processor':
        for i, (mac, model) in enumerate(TEST_NICS):
            q.fabric_nic(Path(tmp) / f'nic{i}.sock', mac, model)
    elif image == 'storage':
        test_disks(q, tmp)
    return q


def test_disks(q, tmp):
    """The storage test image's disks, made in `tmp`: 16 MiB of virtio-blk
    on the root bus and 16 MiB of NVMe behind a PCIe switch on a root port
    (three bridges whose windows qboot leaves closed for the kernel to
    open; SeaBIOS and OVMF open them themselves)."""
    for bus, behind in (('virtio', None), ('nvme', 'switch')):
        disk = Path(tmp) / f'disk-{bus}.raw'
        with open(disk, 'wb') as f:
            f.truncate(16 << 20)
        q.disk(disk, bus=bus, behind=behind)


def test_fabric(tmp):
    """The fabric that joins the processor test image's NICs: QEMU listens
    on each NIC's socket and the fabric connects, retrying until QEMU is up
    (two stream ends inside one QEMU race: its client may connect before
    its server listens, and then the pair is never joined)."""
    argv = [paths.FABRIC_BIN, '--ctl', Path(tmp) / 'fabric.ctl']
    for i in range(len(TEST_NICS)):
        argv += ['--port', f'nic{i}={Path(tmp) / f"nic{i}.sock"}']
    return TABLE.spawn('fabric', argv, BOOT_TIMEOUT + 10, Path(tmp) / 'fabric.log')


def boot_test_image(image, args, cpus=1):
    """Boot a test image to its exit; (exit status or None, console text)."""
    with tempfile.TemporaryDirectory() as tmp:
        fabric = test_fabric(tmp) if image == 'processor' else None
        try:
            return TABLE.run(test_vm(image, args, tmp, cpus).argv(), BOOT_TIMEOUT)
        finally:
            if fabric:
                end(fabric)


def cpus_online(out, n):
    """Whether the console says that n CPUs came up (arch/x86/smp.c)."""
    return re.search(rf'smp: {n} CPUs? online', out) is not None


def suite_kernel(res):
    """Each test image once on one CPU and once on two."""
    print(f'# kernel: accelerator {pick_accel()}', flush=True)
    for image in paths.MONITORS:
        for cpus in (1, 2):
            name = f'kernel/{image}' + ('' if cpus == 1 else f'@{cpus}cpus')
            t0 = time.monotonic()
            rc, out = boot_test_image(image, 'ktest=all', cpus)
            print(f'# {name}: {time.monotonic() - t0:.1f}s', flush=True)
            res.add(f'{name}/cpus-online', cpus_online(out, cpus), out)
            report_tap(res, name, out, rc, lambda r: r == EXIT_PASS)


def suite_fault(res):
    """The dump and the failure exit, also with a second CPU to stop."""
    for cpus in (1, 2):
        name = 'fault' + ('' if cpus == 1 else f'@{cpus}cpus')
        rc, out = boot_test_image('memory', 'ktest=fault-demo', cpus)
        dumped = 'EXCEPTION 14 (page fault)' in out and 'cr2' in out and 'rip=' in out
        res.add(f'{name}/demo-dumps-registers', dumped, out)
        res.add(f'{name}/demo-exits-with-failure', rc == EXIT_FAIL, f'exit={rc}\n{out}')


def lockrank_panic_line(out):
    """The console line of panic() (kernel/printk.c prints "PANIC: " at the
    start of a line) that reports the demo's lock order violation and names
    both of its locks, or None."""
    for m in re.finditer(r'^(PANIC|panic).*$', out, re.M):
        line = m.group(0)
        if 'lock order violation' in line and all(n in line for n in LOCKRANK_LOCKS):
            return line
    return None


def suite_lockrank(res):
    rc, out = boot_test_image('memory', 'ktest=lockrank-demo')
    res.add('lockrank/demo-panics-naming-both-locks',
            lockrank_panic_line(out) is not None, out)
    res.add('lockrank/demo-exits-with-failure', rc == EXIT_FAIL, f'exit={rc}\n{out}')


# ---------------------------------------------------------------- grub

def suite_grub(res):
    iso = paths.test_iso()
    if not iso.exists():
        res.add('grub/iso-built', False, f'{iso} is missing (make test builds it)')
        return
    for fw in FIRMWARES:
        grub_boots(res, iso, fw)


def grub_boots(res, iso, fw):
    """Every menu entry of the ISO once under firmware `fw` (the storage
    monitor with its test disks, one behind a switch the firmware
    programs), and the pMonitor on 2 CPUs (the APs found through GRUB's
    ACPI tag)."""
    for entry, image in enumerate(paths.MONITORS):
        q = QemuCommand(ram_mb=256).iso(iso, entry, 'ktest=all', fw).debug_exit()
        with tempfile.TemporaryDirectory() as tmp:
            if image == 'storage':
                test_disks(q, tmp)
            rc, out = TABLE.run(q.argv(), BOOT_TIMEOUT)
        booted = f'Tessera {image} monitor (boot: multiboot2' in out
        res.add(f'grub-{fw}/{image}/booted-via-multiboot2', booted, out)
        report_tap(res, f'grub-{fw}/{image}', out, rc, lambda r: r == EXIT_PASS)
    q = QemuCommand(ram_mb=256, cpus=2).iso(iso, 0, 'ktest=smp', fw).debug_exit()
    rc, out = TABLE.run(q.argv(), BOOT_TIMEOUT)
    res.add(f'grub-{fw}/{paths.MONITORS[0]}@2cpus/cpus-online', cpus_online(out, 2), out)
    report_tap(res, f'grub-{fw}/{paths.MONITORS[0]}@2cpus', out, rc, lambda r: r == EXIT_PASS)


# ---------------------------------------------------------------- rules

# Includes against the order of folders that the layer check must refuse:
# (name, file, the line added to it).
BAD_INCLUDES = (
    ('kernel-includes-rpc', 'kernel/thread.c', '#include <tessera/net/rpc.h>'),
    ('kernel-includes-manager-protocol', 'kernel/sched.c', '#include <tessera/wire/mgr.h>'),
    ('kernel-includes-boot-wiring', 'kernel/main.c', '#include <tessera/cluster/netboot.h>'),
    ('net-includes-cluster', 'net/rpc/cm.c', '#include <tessera/cluster/peer.h>'),
    ('cluster-includes-role', 'cluster/member.c', '#include "processor/pmon.h"'),
    ('role-includes-role', 'memory/mmon.c', '#include "processor/pmon.h"'),
    ('portable-includes-arch', 'kernel/main.c', '#include "arch/x86/x86.h"'),
)

FORBIDDEN_NET = re.compile(
    r'(-nic\s+(user|tap|bridge)|-netdev\s+(user|tap|bridge)|'
    r'\b(user|tap|bridge),id=|slirp)')


def suite_rules(res):
    check = paths.ROOT / 'tools' / 'check-includes.sh'
    rc, out = TABLE.run(['sh', str(check)], 60, cwd=paths.ROOT)
    res.add('rules/include-discipline', rc == 0, out)
    layers = str(paths.ROOT / 'tools' / 'check_layers.py')
    for name, path, line in BAD_INCLUDES:
        rc, out = TABLE.run(['python3', layers, '--extra', path, line], 60, cwd=paths.ROOT)
        res.add(f'rules/layer-check-refuses/{name}', rc == 1 and path in out, out)
    rc, out = TABLE.run(['git', 'ls-files'], 60, cwd=paths.ROOT)
    bad = []
    for rel in out.split():
        path = paths.ROOT / rel
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


# ---------------------------------------------------------------- abi

def suite_abi(res):
    try:
        import abisuite
    except ImportError as e:
        res.add('abi/loaded', False, str(e))
        return

    def report(_, result):
        name, ok, detail, skip = result
        res.add(name, ok, detail, skip=skip)
        if ok and detail and not skip:
            print(f'# {name}: {detail}', flush=True)
    abisuite.run_all(report=report)


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

def suite_procs(res):
    left = [f'{pid} {what}' for pid, what in TABLE.leftover()]
    res.add('procs/nothing-left-running', not left, '\n'.join(left))


SUITES = {
    'host': suite_host,
    'host-san': suite_host_san,
    'fuzz': suite_fuzz,
    'kernel': suite_kernel,
    'fault': suite_fault,
    'lockrank': suite_lockrank,
    'grub': suite_grub,
    'rules': suite_rules,
    'abi': suite_abi,
    'scenarios': suite_scenarios,
}


def cleanup(*_):
    TABLE.kill_all()
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
