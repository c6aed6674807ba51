"""The bench's side-by-side rows (tools/bench.py calls these): each workload
runs in a vNode (clusters/bench-tessera.conf, one boot per workload) and in
a Linux guest (clusters/bench-linux.conf) in the same bench run:

  tessera P %     tessera run --excache (P % of the working set)
  linux local     the guest, no cap
  linux brd P %   the guest, capped by a cgroup (memory.max = P % of the
                  working set), swap on a ramdisk (brd)
  linux nbd P %   the same cap, swap on an NBD device that the second guest
                  n0 serves over the fabric (tests/linux/nbd_serve.c)

P is 100, 50, 25 and 12.5. A workload is one command line that means the
same in both places (/tests is /bin in the guest; /data/words.txt is on
the bench disk and made again in the guest by gentext). The outputs must
match (a digest of them where they are large): a mismatch fails the row.
A run longer than BENCH_RUN_LIMIT seconds (default 300) is stopped, and a
vNode run that fails (the program killed by a lost memory connection, say)
is reported as such; the smaller caps of that workload are not run there.
Each run prints a progress line ("bench: W where us=N") as it ends.
Times: run_ms of tessera run --stats, and timeit's fork-to-exit time in
the guest (tests/linux/timeit.c).
"""

import hashlib
import os
import re
import shlex
import subprocess
from dataclasses import dataclass

import paths
from cluster import Cluster, RigError

RATIOS = (100, 50, 25, 12.5)
RUN_LIMIT = int(os.environ.get('BENCH_RUN_LIMIT', '300'))
AWK_LOOP = "BEGIN{for(i=0;i<300000;i++)s+=i;print(s)}"
WORDS_MIB = 32
SWAP_MIB = 256
TIME_LINE = re.compile(r'^TIME us=(\d+) status=(\d+) peak_kib=(\d+) swapin=(\d+) '
                       r'swapout=(\d+)$', re.M)


@dataclass
class Workload:
    name: str
    argv: list        # the same in a vNode and in the guest
    ws_mib: int       # working set: caps are a share of it; 0: no caps
    digest: bool = False   # compare the md5 of stdout instead of stdout


WORKLOADS = (
    Workload('memtest', ['/tests/memtest', '64'], 64),
    Workload('hashtab', ['/tests/hashtab', '16'], 16),
    Workload('sqlite', ['/tests/sqlbench'], 12),
    Workload('sort', ['/bin/busybox', 'sort', '/data/words.txt'], 72, digest=True),
    Workload('wordcount', ['/tests/wordcount', '/data/words.txt'], 34),
    Workload('awk', ['/bin/busybox', 'awk', AWK_LOOP], 0),
)


@dataclass
class Outcome:
    us: int           # run time, or None if it was stopped at RUN_LIMIT
    output: str       # stdout, or its md5 for digest workloads
    note: str = ''
    label: str = ''   # what it was, for the ratios' notes


def selected():
    only = os.environ.get('BENCH_WORKLOADS')
    names = only.split(',') if only else None
    return [w for w in WORKLOADS if names is None or w.name in names]


def cap_bytes(w, pct):
    return int(w.ws_mib * 2**20 * pct / 100) // 4096 * 4096


def pct_key(pct):
    return str(pct).replace('.', '_')


def _canon(w, out):
    return hashlib.md5(out).hexdigest() if w.digest else out.decode(errors='replace')


# ---------------------------------------------------------------- Tessera

def tessera_one(c, w, pct):
    argv = [str(paths.CLI_BIN), '--socket', str(c.cli_path('gpm')), 'run', '--stats']
    if pct is not None:
        argv += ['--excache', str(cap_bytes(w, pct))]
    try:
        r = subprocess.run(argv + w.argv, capture_output=True, timeout=RUN_LIMIT)
    except subprocess.TimeoutExpired:
        return progress(w, f'tessera {pct} %', Outcome(None, '', f'stopped after {RUN_LIMIT} s'))
    err = r.stderr.decode(errors='replace')
    stats = dict(re.findall(r'(\w+)=(\d+)', err))
    if r.returncode or 'run_ms' not in stats:
        why = err.strip().splitlines()[0] if err.strip() else ''
        return progress(w, f'tessera {pct} %',
                        Outcome(None, '', f'FAILED: exit {r.returncode}: {why[:160]}'))
    note = f'{stats["fetches"]} fetches {stats["writebacks"]} write-backs'
    return progress(w, f'tessera {pct} %',
                    Outcome(int(stats['run_ms']) * 1000, _canon(w, r.stdout), note))


def progress(w, where, o):
    print(f'bench: {w.name} {where} us={o.us} {o.note}', flush=True)
    return o


def tessera_runs(w):
    """{pct or 'local': Outcome} for one workload, one cluster boot."""
    out = {}
    with Cluster('bench-tessera', name='bench-tessera', timeout=RUN_LIMIT * 5 + 300) as c:
        if not w.ws_mib:
            out['local'] = tessera_one(c, w, None)
            return out
        for pct in RATIOS:
            out[pct] = tessera_one(c, w, pct)
            if out[pct].us is None:
                break
    return out


# ---------------------------------------------------------------- Linux

def guest(c, node, line, timeout=120):
    status, out = c.run(node, line, timeout)
    if status:
        raise RigError(f'{node}: `{line}` exited {status}: {out.strip()[-300:]}')
    return out


def linux_one(c, w, cap):
    words = ' '.join(shlex.quote(a) for a in w.argv)
    line = f'TIMEIT_LIMIT={RUN_LIMIT} timeit {cap} {words}'
    if w.digest:
        line += ' | md5sum'
    status, out = c.run('g0', line, RUN_LIMIT + 60)
    m = TIME_LINE.search(out)
    if status or not m:
        raise RigError(f'{w.name} in the guest: exit {status}: {out.strip()[-300:]}')
    us, st, peak, sin, sout = (int(x) for x in m.groups())
    text = (out[:m.start()] + out[m.end() + 1:])
    if w.digest:
        text = text.split()[0] if text.split() else ''
    note = f'peak {peak >> 10} MiB, {sin} swap-ins {sout} swap-outs'
    if st == 137 and us >= RUN_LIMIT * 10**6:
        return progress(w, f'linux {cap}', Outcome(None, '', f'stopped after {RUN_LIMIT} s'))
    if st:
        raise RigError(f'{w.name} in the guest exited {st}: {text.strip()[-300:]}')
    return progress(w, f'linux {cap}', Outcome(us, text, note))


def linux_capped(c, works, swap):
    """{(workload, pct): Outcome} with swap on `swap` (brd or nbd)."""
    out = {}
    for w in (w for w in works if w.ws_mib):
        for pct in RATIOS:
            out[w.name, pct] = linux_one(c, w, cap_bytes(w, pct))
            if out[w.name, pct].us is None:
                break
    return out


def swap_on_brd(c):
    guest(c, 'g0', f'insmod /lib/modules/brd.ko rd_nr=1 rd_size={SWAP_MIB << 10} && '
          'mkswap /dev/ram0 >/dev/null && swapon /dev/ram0')


def swap_on_nbd(c):
    guest(c, 'g0', 'swapoff /dev/ram0 && rmmod brd')
    guest(c, 'n0', f'nbd-serve {SWAP_MIB} >/dev/console 2>&1 &')
    c.wait_for('n0', r'NBD serving', timeout=30)
    guest(c, 'g0', f'insmod /lib/modules/nbd.ko && nbd-attach {c.node("n0").ip} '
          '/dev/nbd0 >/dev/null && mkswap /dev/nbd0 >/dev/null && swapon /dev/nbd0')


def linux_runs(works):
    """{'local': {name: Outcome}, 'brd': {...}, 'nbd': {...}} in one boot."""
    res = {}
    with Cluster('bench-linux', name='bench-linux', timeout=RUN_LIMIT * 40 + 600) as c:
        guest(c, 'g0', f'mkdir -p /data && gentext {WORDS_MIB} >/data/words.txt')
        res['local'] = {w.name: linux_one(c, w, 'max') for w in works}
        swap_on_brd(c)
        res['brd'] = linux_capped(c, works, 'brd')
        swap_on_nbd(c)
        res['nbd'] = linux_capped(c, works, 'nbd')
    return res


def guest_echo_bench(n, sizes):
    """Raw echo round trips between two Linux guests (g0 times them to n0):
    {size: (median_us, p99_us, lost)}."""
    out = {}
    with Cluster('bench-linux', name='bench-linux-rtt', timeout=1800) as c:
        for size in sizes:
            since = c.mark('g0')
            guest(c, 'g0', f'echo "bench {c.node("n0").mac} {n} {size}" >/run/echo.in')
            m = c.wait_for('g0', rf'BENCH peer=\S+ size={size} n=\d+ lost=(\d+)'
                           r'(?: median_us=(\d+) p99_us=(\d+))?', timeout=900, since=since)
            if m.group(2) is None:
                raise RigError('guest echo bench: every round trip was lost')
            out[size] = (int(m.group(2)), int(m.group(3)), int(m.group(1)))
    return out
