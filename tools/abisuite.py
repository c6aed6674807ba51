#!/usr/bin/env python3
"""The differential ABI suite (tests/abi/README): each program of tests/abi,
built with glibc and with musl (build/abi/<prog>-<libc>), runs on this Linux
host and in a vNode; its stdout and exit status must be byte-identical.
Linux is the oracle. All vNode runs of one call share ONE cluster boot
(clusters/default.conf), each program in a fresh vNode through the real
CLI (`tessera run /abi/<prog>-<libc>`), as a user would run it.

The host run gets what a vNode process gets: argv[0] the program's path,
the environment PATH=/bin:/usr/bin HOME=/, the working directory /, no
controlling terminal (a session of its own, whose leader it is), umask
022, RLIMIT_CORE 0 (no core dumps, so no core flag in wait statuses),
every signal at its default action and none blocked, stdin, stdout and
stderr pipes, no other descriptors.

tests/abi/RUN gives a program options, one line each:
    PROG  args=WORDS...  stdin=file:NAME | stdin=gen:BYTES  timeout=SECONDS
"{now}" in args becomes the host's clock (seconds) at each launch;
stdin=gen:N feeds N deterministic pseudo-random bytes.

tests/abi/PENDING lists programs known to fail until other work lands
("PROG REASON" or "PROG-LIBC REASON"): a failure of one of them is
reported as skipped with its reason; a pass says it can come off the list.

Python API: run_all(filter=None, report=None, conf="default") -> [(name, ok, detail, skip)]
with names "abi/<prog>-<libc>"; filter is a glob or list of globs over
"<prog>" or "<prog>-<libc>". Standalone: abisuite.py [GLOB...] prints TAP;
abisuite.py --stable [GLOB...] runs each program three times on the host
only and reports any whose output or status varies (a program must print
only what is deterministic); abisuite.py --cluster NAME [GLOB...] boots
clusters/NAME.conf instead of the default (smp: a 2-CPU pComponent).
"""

import concurrent.futures
import difflib
import fnmatch
import os
import random
import resource
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402
from cluster import Cluster, RigError  # noqa: E402
from processes import TABLE  # noqa: E402

ABI_SRC = paths.ROOT / 'tests' / 'abi'
ABI_BIN = paths.BUILD / 'abi'
DISK_DIR = '/abi'
LIBCS = ('glibc', 'musl')
ENV = {'PATH': '/bin:/usr/bin', 'HOME': '/'}
HOST_TIMEOUT = 60
VNODE_TIMEOUT = 30
CLUSTER_LIFE = 3600         # seconds the suite's cluster may live
DIFF_LINES = 12


class Prog:
    """One program built with one libc, with its RUN options."""

    def __init__(self, name, libc, opts):
        self.name, self.libc = name, libc
        self.full = f'{name}-{libc}'
        self.host_path = ABI_BIN / self.full
        self.disk_path = f'{DISK_DIR}/{self.full}'
        self.args = shlex.split(opts.get('args', ''))
        self.stdin_spec = opts.get('stdin', '')
        self.timeout = float(opts.get('timeout', 0)) or None

    def argv(self):
        now = str(int(time.time()))
        return [a.replace('{now}', now) for a in self.args]

    def stdin(self):
        kind, _, what = self.stdin_spec.partition(':')
        if kind == 'file':
            return (ABI_SRC / what).read_bytes()
        if kind == 'gen':
            return random.Random(self.name).randbytes(int(what))
        return b''


def read_table(path):
    """{first word: rest of the line} of a RUN or PENDING file."""
    table = {}
    if not path.exists():
        return table
    for raw in path.read_text().splitlines():
        line = raw.split('#', 1)[0].strip()
        if line:
            word, _, rest = line.partition(' ')
            table[word] = rest.strip()
    return table


def run_options():
    opts = {}
    for name, rest in read_table(ABI_SRC / 'RUN').items():
        opts[name] = dict(w.split('=', 1) for w in shlex.split(rest) if '=' in w)
    return opts


def programs(filter=None):
    """Every suite program, as Prog, in name order (glibc first)."""
    opts = run_options()
    names = sorted(p.stem for p in ABI_SRC.glob('*.c') if not p.stem.startswith('help_'))
    pats = None if filter is None else ([filter] if isinstance(filter, str) else filter)
    out = []
    for n in names:
        for libc in LIBCS:
            p = Prog(n, libc, opts.get(n, {}))
            if pats is None or any(fnmatch.fnmatch(n, f) or fnmatch.fnmatch(p.full, f)
                                   for f in pats):
                out.append(p)
    return out


def _host_preexec():
    """A vNode's first process starts with every signal at its default
    action and none blocked, whatever this interpreter (or the shell that
    started it in the background, ignoring SIGINT) has."""
    os.umask(0o022)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for sig in range(1, signal.NSIG):
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError):
                pass
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def wait_status(rc):
    """A subprocess return code as a shell reports it: 128+N for signal N."""
    return 128 - rc if rc < 0 else rc


def host_run(p):
    """(status, stdout bytes, note) of p on this Linux host."""
    proc = subprocess.Popen([str(p.host_path)] + p.argv(), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd='/',
                            env=ENV, start_new_session=True, preexec_fn=_host_preexec)
    TABLE.started.append((proc.pid, p.full, proc))
    try:
        out, _ = proc.communicate(p.stdin(), timeout=p.timeout or HOST_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, end_group(proc), 'timed out on the host'
    return wait_status(proc.returncode), out, ''


def end_group(proc):
    """Kill a timed-out program and its process group (it leads one: a
    session of its own), and what it wrote; children that left the group
    may still hold the pipe, so the output is read for a few seconds only."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        out, _ = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        out = b''
    return out


def vnode_run(cluster, p):
    """(status or None, stdout bytes, stderr text) of p in a fresh vNode."""
    argv = [str(paths.CLI_BIN), '--socket', str(cluster.cli_path('gpm')), 'run',
            p.disk_path] + p.argv()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    TABLE.started.append((proc.pid, 'tessera', proc))
    try:
        out, err = proc.communicate(p.stdin(), timeout=p.timeout or VNODE_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return None, out, err.decode(errors='replace') + '[timed out]'
    return proc.returncode, out, err.decode(errors='replace')


def first_difference(want, got):
    """The first differing lines of two outputs, as a short unified diff."""
    a = want.decode(errors='replace').splitlines()
    b = got.decode(errors='replace').splitlines()
    diff = list(difflib.unified_diff(a, b, 'linux', 'vnode', n=2, lineterm=''))
    return '\n'.join(diff[:DIFF_LINES + 3])


def verdict(p, host, vnode):
    """(ok, detail) of one program's two runs."""
    hst, hout, hnote = host
    vst, vout, verr = vnode
    if hst is None:
        return False, hnote
    problems = []
    if vst != hst:
        problems.append(f'exit status: linux {hst}, vnode {vst}')
    if vout != hout:
        problems.append('stdout differs:\n' + first_difference(hout, vout))
    if problems and verr.strip():
        problems.append('vnode stderr: ' + verr.strip()[-400:])
    return not problems, '\n'.join(problems)


class Suite:
    """One cluster for every program; booted again if its pComponent dies
    or a program does not end in time (its process may still run)."""

    def __init__(self, conf='default'):
        self.conf = conf
        self.cluster = None
        self.booted = 0.0
        self.times = []  # (seconds, program) of each vNode run

    def boot(self):
        for attempt in range(2):
            self.cluster = Cluster(self.conf, name='abi', timeout=CLUSTER_LIFE)
            try:
                self.cluster.start(ready_timeout=120)
                break
            except (RigError, OSError):
                self.cluster = None
                if attempt:
                    raise
        self.booted = time.monotonic()

    def stop(self):
        if self.cluster:
            self.cluster.stop()
            self.cluster = None

    def healthy(self):
        return all(p.poll() is None for p in self.cluster.procs.values())

    def run(self, p):
        if self.cluster and time.monotonic() - self.booted > CLUSTER_LIFE - 300:
            self.stop()
        if self.cluster is None:
            self.boot()
        res = vnode_run(self.cluster, p)
        if res[0] is None or not self.healthy() or 'went away' in res[2]:
            self.stop()
        return res


def run_all(filter=None, report=None, conf='default'):
    """Run the suite; [(name, ok, detail, skip reason or None)]."""
    progs = programs(filter)
    pending = read_table(ABI_SRC / 'PENDING')
    missing = [p.full for p in progs if not p.host_path.exists()]
    if missing:
        r = [('abi/built', False, 'not built (make abi): ' + ' '.join(missing[:8]), None)]
        if report:
            report(1, r[0])
        return r
    results = []
    suite = Suite(conf)
    # The host runs go ahead in a thread of their own, beside the vNode runs.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    hosts = [pool.submit(host_run, p) for p in progs]
    try:
        for p, host_future in zip(progs, hosts):
            t0 = time.monotonic()
            try:
                vnode = suite.run(p)
            except (RigError, OSError) as e:
                suite.stop()
                vnode = (None, b'', f'cluster: {e}')
            suite.times.append((time.monotonic() - t0, p.full))
            ok, detail = verdict(p, host_future.result(), vnode)
            why = pending.get(p.full) or pending.get(p.name)
            skip = None
            if why is not None and not ok:
                skip = f'pending: {why}'
            elif why is not None:
                detail = f'passes: take {p.name} off tests/abi/PENDING'
            results.append((f'abi/{p.full}', ok or skip is not None, detail, skip))
            if report:
                report(len(results), results[-1])
    finally:
        for f in hosts:
            f.cancel()
        pool.shutdown(wait=True)
        suite.stop()
    slow = sorted(suite.times, reverse=True)[:6]
    print('# abi: slowest vNode runs: ' +
          ', '.join(f'{name} {secs:.1f}s' for secs, name in slow), flush=True)
    return results


def _tap(i, result):
    name, ok, detail, skip = result
    if skip:
        print(f'ok {i} {name} # SKIP {skip}', flush=True)
    else:
        print(f'{"ok" if ok else "not ok"} {i} {name}', flush=True)
    if detail:
        for line in detail.splitlines():
            print(f'#   {line}', flush=True)


def stable(pats):
    """Host runs only: programs whose three runs differ. Exit status 1 if any."""
    bad = 0
    for p in programs(pats):
        runs = [host_run(p)[:2] for _ in range(3)]
        if runs[0][0] is None or any(r != runs[0] for r in runs[1:]):
            bad += 1
            print(f'varies: {p.full}', flush=True)
            for st, out in runs[1:]:
                if (st, out) != runs[0]:
                    print(first_difference(runs[0][1], out))
                    break
    print(f'{bad} programs vary')
    return 1 if bad else 0


def main(argv):
    if argv[1:2] == ['--stable']:
        return stable(argv[2:] or None)
    conf = 'default'
    if argv[1:2] == ['--cluster']:
        conf, argv = argv[2], argv[:1] + argv[3:]
    pats = argv[1:] or None
    print('TAP version 13', flush=True)
    t0 = time.monotonic()
    results = run_all(pats, report=_tap, conf=conf)
    skipped = sum(1 for r in results if r[3])
    failed = sum(1 for r in results if not r[1])
    print(f'1..{len(results)}')
    print(f'# {time.monotonic() - t0:.0f}s')
    line = f'{len(results) - skipped - failed} passed, {failed} failed'
    print(line + (f', {skipped} skipped' if skipped else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
