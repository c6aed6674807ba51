#!/usr/bin/env python3
"""make fuzz: every libFuzzer target (build/fuzz/NAME, from tests/fuzz/)
for its budget, then one closing line

    fuzz: N targets, M execs, K crashes

A target runs until FUZZ_RUNS executions (default 10^6) or FUZZ_SECONDS
(default 600), whichever comes first, starting from its seed inputs
(tests/fuzz/corpus/NAME/, or made here: build/fuzz/seeds/NAME/) in a working corpus under build/fuzz/corpus/NAME/
that grows as the run finds new coverage. A crash leaves its input in
build/fuzz/crashes/NAME/; reproduce it with

    build/fuzz/NAME build/fuzz/crashes/NAME/crash-...

and, once fixed, keep the input in tests/fuzz/crashes/NAME/: make test
replays every kept input (smoke()) beside a short run of each target.

Usage: fuzz.py [NAME ...]   (default: every built target)
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402
from processes import TABLE  # noqa: E402

FUZZ_BUILD = paths.BUILD / 'fuzz'
SEEDS = paths.ROOT / 'tests' / 'fuzz' / 'corpus'
KEPT_CRASHES = paths.ROOT / 'tests' / 'fuzz' / 'crashes'
MADE_SEEDS = FUZZ_BUILD / 'seeds'  # seeds made here, not kept in the tree
SMOKE_RUNS = 3000
SMOKE_SECONDS = 20
# Reports must be fatal and leave a readable trace.
SAN_ENV = {'ASAN_OPTIONS': 'abort_on_error=1:symbolize=1:detect_leaks=1',
           'UBSAN_OPTIONS': 'print_stacktrace=1:halt_on_error=1'}


def targets(names=None):
    """The built targets (paths), sorted; only `names` if given."""
    found = sorted(p for p in FUZZ_BUILD.glob('*')
                   if p.is_file() and os.access(p, os.X_OK))
    if names:
        found = [p for p in found if p.name in names]
    return found


def ext2_seeds(where):
    """Two small volumes (1 KiB and 4 KiB blocks) made by mke2fs from a
    little tree: directories, 40 entries, links, a 14 KB file."""
    where.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tree:
        t = Path(tree)
        (t / 'd' / 'sub').mkdir(parents=True)
        (t / 'many').mkdir()
        (t / 'd' / 'sub' / 'f.txt').write_text('hello\n')
        for i in range(1, 41):
            (t / 'many' / f'entry-{i}').write_text(f'{i}\n')
        (t / 'link').symlink_to('d/sub/f.txt')
        (t / 'longlink').symlink_to('x' * 100)
        (t / 'big').write_bytes(bytes((i * 7) & 255 for i in range(14000)))
        for name, args, size in (('ext2-1k.img', ['-b', '1024'], '200K'),
                                 ('ext2-4k.img', ['-b', '4096', '-O', '^resize_inode'], '400K')):
            subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext2', '-N', '96'] + args +
                           ['-d', tree, str(where / name), size], check=True,
                           stdout=subprocess.DEVNULL)


# Targets whose seeds are made at run time, by the function that makes them.
SEED_MAKERS = {'ext2': ext2_seeds}


def seed_dirs(name):
    """The seed folders of target `name`: kept in the tree, or made."""
    dirs = [SEEDS / name] if (SEEDS / name).is_dir() else []
    if name in SEED_MAKERS:
        made = MADE_SEEDS / name
        if not made.is_dir():
            SEED_MAKERS[name](made)
        dirs.append(made)
    return dirs


def _execs(out):
    m = re.search(r'stat::number_of_executed_units:\s*(\d+)', out)
    if m:
        return int(m.group(1))
    m = re.search(r'Done (\d+) runs', out)
    return int(m.group(1)) if m else 0


def _env():
    env = dict(os.environ)
    env.update(SAN_ENV)
    return env


def run_target(target, runs, seconds, corpus=True):
    """One libFuzzer run of target: (executions, crash inputs, output)."""
    name = target.name
    crashes = FUZZ_BUILD / 'crashes' / name
    crashes.mkdir(parents=True, exist_ok=True)
    argv = [str(target), f'-runs={runs}', f'-max_total_time={seconds}',
            '-print_final_stats=1', f'-artifact_prefix={crashes}/']
    if corpus:
        work = FUZZ_BUILD / 'corpus' / name
        work.mkdir(parents=True, exist_ok=True)
        argv.append(str(work))
        argv += [str(d) for d in seed_dirs(name)]
    before = set(crashes.iterdir())
    rc, out = TABLE.run(argv, timeout=seconds + 120, env=_env())
    found = sorted(set(crashes.iterdir()) - before)
    if rc != 0 and not found:
        found = [f'exit status {rc}']
    return _execs(out), found, out


def replay(target):
    """Run target once on every kept crash input: (count, failures)."""
    kept = sorted((KEPT_CRASHES / target.name).glob('*')) \
        if (KEPT_CRASHES / target.name).is_dir() else []
    if not kept:
        return 0, []
    rc, out = TABLE.run([str(target)] + [str(k) for k in kept], timeout=120, env=_env())
    return len(kept), ([] if rc == 0 else [out[-3000:]])


def smoke(res):
    """make test's pass: a short run of each target (its seeds first) and
    a replay of the kept crash inputs; one verdict line each."""
    found = targets()
    res.add('fuzz/targets-built', len(found) > 0, f'no targets in {FUZZ_BUILD}')
    for t in found:
        n, crashes, out = run_target(t, SMOKE_RUNS, SMOKE_SECONDS)
        res.add(f'fuzz/{t.name}/smoke', not crashes and n > 0,
                f'crashes: {crashes}\n{out[-3000:]}')
        kept, bad = replay(t)
        if kept:
            res.add(f'fuzz/{t.name}/kept-crashes', not bad, '\n'.join(bad))


def main():
    runs = int(os.environ.get('FUZZ_RUNS', '1000000'))
    seconds = int(os.environ.get('FUZZ_SECONDS', '600'))
    found = targets(sys.argv[1:])
    if not found:
        print(f'fuzz: no targets built in {FUZZ_BUILD} (make fuzz-targets)')
        return 1
    total_execs, total_crashes = 0, 0
    for t in found:
        n, crashes, out = run_target(t, runs, seconds)
        kept, bad = replay(t)
        total_execs += n
        total_crashes += len(crashes) + len(bad)
        status = 'ok' if not crashes and not bad else f'CRASH {", ".join(map(str, crashes))}'
        print(f'fuzz: {t.name:<16} {n:>9} execs  {status}', flush=True)
        if crashes:
            print(out[-4000:])
    print(f'fuzz: {len(found)} targets, {total_execs} execs, {total_crashes} crashes')
    return 1 if total_crashes else 0


if __name__ == '__main__':
    sys.exit(main())
