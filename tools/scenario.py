#!/usr/bin/env python3
"""Multi-node scenarios: one small file each in tests/scenarios/*.scn, run on
a cluster booted by the rig (tools/cluster.py).

A scenario file is lines of "keyword arguments"; '#' starts a comment, and
the comment lines that open the file describe the scenario. Header keywords:

    cluster NAME        clusters/NAME.conf, booted (every node READY) before
                        the actions run; "none" for scenarios without one
    timeout SECONDS     for the whole scenario, boot included (default 120)
    requires CAP        skip unless CAP is enabled: listed in
                        tests/scenarios/ENABLED or in $TESSERA_ENABLE (a
                        comma list). Capabilities: kernel-echo (the monitors
                        answer and originate raw echo frames)

Actions, in order (the finish condition is the last one done; the verdict is
pass when every action succeeded in time and every check held):

    wait NODE REGEX     until REGEX matches NODE's console after its mark
                        (the last send/start/restart on it); named groups
                        become variables (numbers when they look like one)
    send NODE LINE      a command to a host node (fabric-echo: ping, bench)
    fabric COMMAND      a fabric control command (set, down, up, partition...)
    stats               fabric counters as variables: PORT_COUNTER and
                        total_COUNTER (e.g. total_drop_fault, a_rx_frames)
    let NAME = EXPR     a variable from an expression over variables
    check EXPR          the expression must be true; expressions may use
                        file_size(PATH) and file_fnv1a(PATH) (32-bit FNV-1a)
                        of a file under the tree (build/progs/hello-musl)
    kill|start|restart NODE, restart-fabric, sleep SECONDS
    crash NODE          SIGKILL NODE's process (QEMU stops between any two
                        instructions, its disk as far as it got)
    sleep-random A B    a pause drawn uniformly from [A, B] seconds (the
                        draws follow the fabric seed)
    spawn NAME MGR LINE `tessera LINE` against manager MGR, in the
                        background; its output goes to $dir/NAME.out
    wait-out NAME REGEX until REGEX matches NAME's output after its mark
                        (its start, then the end of the last wait-out
                        match); named groups become variables
    mark-out NAME       move NAME's mark to the end of its output so far
    reap NAME [STATUS]  NAME must exit, with STATUS (default 0)
    repeat N ... end    the actions between, N times (blocks nest)
    stop-cluster        stop every node and the fabric (disks are kept)
    start-cluster       start them all again on the same disks, wait until
                        every node is ready
    fsck NODE           e2fsck -fn of NODE's disk image (the node down or
                        idle) must be clean: exit 0 and nothing but its
                        version, pass and summary lines
    bad-cluster FILE REGEX   parsing FILE must fail with a matching error
    run CMD ARGS...     a host program (words split as by a shell, run from
                        the repository root; $dir is the cluster's run
                        directory) that must exit 0 in time; each NAME=INT
                        word it prints becomes a variable
    good-cluster FILE...     these cluster files must parse

$mac(NODE) and $ip(NODE) in arguments are a node's fabric addresses.

Python API (tools/testrun.py uses it):

    run_all(filter=None) -> [(name, ok, detail), ...]
        filter: None for all, or a scenario name, glob or list of them.
        A skipped scenario has a fourth element, the reason:
        (name, True, "SKIP <reason>", "<reason>"). The last entry is
        "no-leftover-processes": every process the scenarios started has
        ended (any left are ended, by pid, and the entry fails).

Standalone: python3 tools/scenario.py [NAME...] prints TAP (skips as
"ok N name # SKIP reason") and ends with "N passed, N failed".
"""

import fnmatch
import os
import random
import re
import shlex
import subprocess
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402
from cluster import Cluster, RigError  # noqa: E402
from clusterfile import ConfigError, parse_cluster  # noqa: E402
import processes  # noqa: E402
from processes import TABLE  # noqa: E402

SCENARIOS = paths.ROOT / 'tests' / 'scenarios'
ENABLED = SCENARIOS / 'ENABLED'
LEAK_CHECK = 'no-leftover-processes'
HEADER = ('cluster', 'timeout', 'requires')
ACTIONS = ('wait', 'send', 'fabric', 'stats', 'let', 'check', 'kill', 'start',
           'restart', 'restart-fabric', 'stop-cluster', 'start-cluster', 'fsck', 'sleep',
           'bad-cluster', 'good-cluster', 'run', 'crash', 'sleep-random', 'spawn',
           'wait-out', 'mark-out', 'reap')
BLOCKS = ('repeat', 'end')


def fsck_clean(image):
    """(clean, output) of e2fsck -fn on image: clean means exit status 0
    and no line but its version, pass and summary lines."""
    r = subprocess.run(['e2fsck', '-fn', str(image)], capture_output=True, text=True,
                       env={**os.environ, 'PATH': '/sbin:/usr/sbin:' + os.environ['PATH']})
    out = r.stdout + r.stderr
    extra = [ln for ln in out.splitlines() if ln and not ln.startswith(('e2fsck ', 'Pass '))
             and ' files (' not in ln]
    return r.returncode == 0 and not extra, out


def file_size(path):
    return (paths.ROOT / path).stat().st_size


def file_fnv1a(path):
    h = 2166136261
    for b in (paths.ROOT / path).read_bytes():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


SAFE = {'__builtins__': {}, 'abs': abs, 'min': min, 'max': max, 'sum': sum,
        'len': len, 'int': int, 'file_size': file_size, 'file_fnv1a': file_fnv1a}


class ScenarioError(Exception):
    """A scenario failed; str() says where and why."""


class Scenario:
    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.stem
        self.description = ''
        self.cluster = None
        self.timeout = 120
        self.requires = []
        self.actions = []
        self._parse()

    def _parse(self):
        heading = True
        blocks = [(0, 1, self.actions)]    # (line, count, actions) being read
        for i, raw in enumerate(self.path.read_text().splitlines(), 1):
            heading = heading and raw.startswith('#')
            if heading:
                self.description = (self.description + ' ' +
                                    raw.lstrip('# ').strip()).strip()
            text = re.sub(r'(^|\s)#.*', '', raw).strip()
            if not text:
                continue
            word, _, rest = text.partition(' ')
            rest = rest.strip()
            if word not in HEADER + ACTIONS + BLOCKS:
                raise ScenarioError(f'{self.path}:{i}: unknown keyword {word!r}')
            if word == 'repeat':
                if not re.fullmatch(r'\d+', rest):
                    raise ScenarioError(f'{self.path}:{i}: usage: repeat N')
                blocks.append((i, int(rest), []))
            elif word == 'end':
                if len(blocks) == 1:
                    raise ScenarioError(f'{self.path}:{i}: end without repeat')
                _, count, body = blocks.pop()
                blocks[-1][2].extend(body * count)
            elif word == 'cluster':
                self.cluster = None if rest == 'none' else rest
            elif word == 'timeout':
                self.timeout = float(rest)
            elif word == 'requires':
                self.requires += rest.split()
            else:
                blocks[-1][2].append((i, word, rest))
        if len(blocks) > 1:
            raise ScenarioError(f'{self.path}:{blocks[-1][0]}: repeat without end')


def enabled_caps():
    caps = set(filter(None, os.environ.get('TESSERA_ENABLE', '').split(',')))
    if ENABLED.exists():
        for line in ENABLED.read_text().splitlines():
            line = line.split('#', 1)[0].strip()
            if line:
                caps.add(line)
    return caps


def _number(v):
    return int(v) if re.fullmatch(r'-?\d+', v or '') else v


class Run:
    """One scenario being run: its cluster, marks and variables."""

    def __init__(self, sc):
        self.sc = sc
        self.vars = {}
        self.marks = {}
        self.cluster = None
        self.deadline = time.monotonic() + sc.timeout
        self.spawned = {}      # NAME -> (Popen, output path)
        self.out_marks = {}    # NAME -> offset in its output
        self.random = None

    def left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ScenarioError(f'timed out after {self.sc.timeout:g} s')
        return left

    def subst(self, text):
        def addr(m):
            if not self.cluster:
                raise ScenarioError(f'${m.group(1)}() needs a cluster')
            return getattr(self.cluster.node(m.group(2)), m.group(1))
        return re.sub(r'\$(mac|ip)\(([^)]*)\)', addr, text)

    def go(self):
        if self.sc.cluster:
            self.cluster = Cluster(self.sc.cluster, name=self.sc.name,
                                   timeout=self.sc.timeout + 30)
            self.cluster.start(ready_timeout=self.left())
        try:
            for line, word, rest in self.sc.actions:
                try:
                    self.do(word, self.subst(rest))
                except (RigError, ConfigError, OSError) as e:
                    raise ScenarioError(f'line {line}: {word}: {e}') from None
                except ScenarioError as e:
                    raise ScenarioError(f'line {line}: {word}: {e}') from None
        finally:
            for p, _ in self.spawned.values():
                processes.end(p)
            if self.cluster:
                self.cluster.stop()

    def do(self, word, rest):
        getattr(self, 'do_' + word.replace('-', '_'))(rest)

    def _need_cluster(self):
        if not self.cluster:
            raise ScenarioError('no cluster')
        return self.cluster

    def do_wait(self, rest):
        node, _, regex = rest.partition(' ')
        c = self._need_cluster()
        m = c.wait_for(node, regex.strip(), timeout=self.left(),
                       since=self.marks.get(node, 0))
        self.vars.update({k: _number(v) for k, v in m.groupdict().items()})

    def do_send(self, rest):
        node, _, line = rest.partition(' ')
        self.marks[node] = self._need_cluster().mark(node)
        self.cluster.send(node, line.strip())

    def do_fabric(self, rest):
        self._need_cluster().fabric(rest)

    def do_stats(self, rest):
        for port, counters in self._need_cluster().stats().items():
            for k, v in counters.items():
                self.vars[f'{port}_{k}'.replace('-', '_')] = v

    def _eval(self, expr):
        try:
            return eval(expr, dict(SAFE), dict(self.vars))  # noqa: S307
        except Exception as e:  # a scenario's own expression failed
            raise ScenarioError(f'{expr}: {type(e).__name__}: {e}') from None

    def do_let(self, rest):
        name, eq, expr = rest.partition('=')
        if not eq or not name.strip().isidentifier():
            raise ScenarioError('usage: let NAME = EXPR')
        self.vars[name.strip()] = self._eval(expr)

    def do_check(self, rest):
        if not self._eval(rest):
            used = sorted(set(re.findall(r'[A-Za-z_]\w*', rest)) & set(self.vars))
            vals = ', '.join(f'{k}={self.vars[k]}' for k in used)
            raise ScenarioError(f'{rest} is false ({vals})')

    def do_kill(self, node):
        self._need_cluster().kill_node(node)

    def do_start(self, node):
        self.marks[node] = self._need_cluster().mark(node)
        self.cluster.start_node(node, wait=False)
        self.cluster.wait_ready(node, self.left(), since=self.marks[node])

    def do_restart(self, node):
        self.marks[node] = self._need_cluster().mark(node)
        self.cluster.restart_node(node, ready_timeout=self.left())

    def do_restart_fabric(self, rest):
        self._need_cluster().restart_fabric()

    def do_stop_cluster(self, rest):
        self._need_cluster().stop()

    def do_start_cluster(self, rest):
        c = self._need_cluster()
        c.procs = {}
        c.start(ready_timeout=self.left(), keep_disks=True)
        self.marks = {n.name: 0 for n in c.conf.nodes}

    def do_fsck(self, node):
        path = self._need_cluster().disk_path(node)
        ok, out = fsck_clean(path)
        if not ok:
            raise ScenarioError(f'e2fsck -fn {path} is not clean:\n{out.strip()[-1500:]}')

    def do_sleep(self, rest):
        time.sleep(min(float(rest), self.left()))

    def do_run(self, rest):
        argv = shlex.split(rest.replace('$dir', str(self._need_cluster().dir)))
        try:
            r = subprocess.run(argv, cwd=paths.ROOT, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True,
                               timeout=self.left())
        except subprocess.TimeoutExpired:
            raise ScenarioError(f'{argv[0]} timed out') from None
        if r.returncode:
            raise ScenarioError(f'{argv[0]} exited {r.returncode}: '
                                f'{r.stderr.strip()[-300:]}')
        for k, v in re.findall(r'(?<!\S)([A-Za-z_]\w*)=(-?\d+)(?!\S)', r.stdout):
            self.vars[k] = int(v)

    def do_crash(self, node):
        self._need_cluster().crash_node(node)

    def do_sleep_random(self, rest):
        try:
            lo, hi = (float(w) for w in rest.split())
        except ValueError:
            raise ScenarioError('usage: sleep-random A B') from None
        if self.random is None:
            self.random = random.Random(f'{self.sc.name} {self._need_cluster().seed}')
        time.sleep(min(self.random.uniform(lo, hi), self.left()))

    def do_spawn(self, rest):
        words = rest.split(None, 2)
        if len(words) != 3 or words[0] in self.spawned:
            raise ScenarioError('usage: spawn NAME MANAGER LINE (a new NAME)')
        name, mgr, line = words
        c = self._need_cluster()
        if not c.node(mgr).is_manager:
            raise ScenarioError(f'{mgr} is not a manager')
        out = c.dir / f'{name}.out'
        out.write_bytes(b'')
        argv = [paths.CLI_BIN, '--socket', c.cli_path(mgr)] + shlex.split(line)
        self.spawned[name] = (TABLE.spawn(f'spawn {name}', argv, self.left(), out), out)
        self.out_marks[name] = 0

    def _spawned(self, name):
        if name not in self.spawned:
            raise ScenarioError(f'nothing spawned as {name!r}')
        return self.spawned[name]

    def do_wait_out(self, rest):
        name, _, regex = rest.partition(' ')
        p, out = self._spawned(name)
        pat = re.compile(regex.strip(), re.M)
        while True:
            done = p.poll() is not None
            text = out.read_text(errors='replace')[self.out_marks[name]:]
            m = pat.search(text)
            if m:
                self.out_marks[name] += m.end()
                self.vars.update({k: _number(v) for k, v in m.groupdict().items()})
                return
            if done:
                raise ScenarioError(f'{name} exited ({p.returncode}) before '
                                    f'/{regex.strip()}/: {text.strip()[-300:]!r}')
            if self.deadline - time.monotonic() <= 0.05:
                raise ScenarioError(f'{name}: timed out waiting for /{regex.strip()}/')
            time.sleep(0.05)

    def do_mark_out(self, name):
        _, out = self._spawned(name)
        self.out_marks[name] = len(out.read_text(errors='replace'))

    def do_reap(self, rest):
        name, _, status = rest.partition(' ')
        p, out = self._spawned(name)
        want = int(status) if status.strip() else 0
        try:
            p.wait(self.left())
        except subprocess.TimeoutExpired:
            raise ScenarioError(f'{name} did not exit') from None
        if p.returncode != want:
            tail = out.read_text(errors='replace').strip()[-300:]
            raise ScenarioError(f'{name} exited {p.returncode}, not {want}: {tail!r}')

    def do_bad_cluster(self, rest):
        path, _, regex = rest.partition(' ')
        try:
            parse_cluster(paths.ROOT / path)
        except ConfigError as e:
            if not re.search(regex.strip(), str(e)):
                raise ScenarioError(f'error {e} does not match /{regex.strip()}/')
            if '\n' in str(e) or not re.match(r'\S+:\d+: ', str(e)):
                raise ScenarioError(f'error is not one "file:line: reason" line: {e}')
            return
        raise ScenarioError(f'{path} parsed without error')

    def do_good_cluster(self, rest):
        for pattern in rest.split():
            for path in sorted(paths.ROOT.glob(pattern)):
                parse_cluster(path)


def discover(filter=None):
    scs = sorted(SCENARIOS.glob('*.scn'))
    if filter is None:
        return scs
    pats = [filter] if isinstance(filter, str) else list(filter)
    return [p for p in scs if any(fnmatch.fnmatch(p.stem, f) or f == p.stem
                                  for f in pats)]


def run_one(path, caps):
    """(name, ok, detail) for one scenario file."""
    try:
        sc = Scenario(path)
    except (ScenarioError, ValueError, OSError) as e:
        return (path.stem, False, f'bad scenario file: {e}')
    missing = [c for c in sc.requires if c not in caps]
    if missing:
        reason = f'needs {", ".join(missing)} (not in tests/scenarios/ENABLED)'
        return (sc.name, True, f'SKIP {reason}', reason)
    t0 = time.monotonic()
    run = Run(sc)
    try:
        run.go()
    except (ScenarioError, RigError, ConfigError) as e:
        seed = f'fabric seed {run.cluster.seed}, ' if run.cluster else ''
        return (sc.name, False, f'{e} ({seed}consoles in build/rig/{sc.name}/)')
    except Exception:  # a bug in the runner must not stop the other scenarios
        return (sc.name, False, traceback.format_exc().strip())
    return (sc.name, True, f'{sc.description} ({time.monotonic() - t0:.1f} s)')


def leak_check():
    left = TABLE.leftover()
    if not left:
        return (LEAK_CHECK, True, 'every process the scenarios started has ended')
    TABLE.stop_all()
    return (LEAK_CHECK, False, 'still running after the scenarios: ' +
            ', '.join(f'{what} (pid {pid})' for pid, what in left))


def run_all(filter=None, report=None):
    """Run scenarios; returns [(name, ok, detail)], the process check last.
    report(index, result) is called as each result is known."""
    caps = enabled_caps()
    results = []
    for path in discover(filter):
        results.append(run_one(path, caps))
        if report:
            report(len(results), results[-1])
    results.append(leak_check())
    if report:
        report(len(results), results[-1])
    return results


def is_skip(result):
    return len(result) > 3 and bool(result[3])


def _tap(i, result):
    name, ok, detail = result[:3]
    if is_skip(result):
        print(f'ok {i} {name} # SKIP {result[3]}', flush=True)
        return
    print(f'{"ok" if ok else "not ok"} {i} {name}', flush=True)
    for line in detail.splitlines():
        print(f'# {line}', flush=True)


def main(argv):
    names = argv[1:] or None
    print('TAP version 13')
    print(f'1..{len(discover(names)) + 1}', flush=True)
    results = run_all(names, report=_tap)
    skipped = sum(1 for r in results if is_skip(r))
    passed = sum(1 for r in results if r[1]) - skipped
    failed = len(results) - passed - skipped
    if skipped:
        print(f'# {skipped} skipped')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
