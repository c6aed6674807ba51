#!/usr/bin/env python3
"""make bench: Tessera's performance table, one row per measurement.

A row is a function decorated with @row that returns a list of Result (one
per frame size, say) or a Skip saying why it cannot run yet. Rows boot what
they need through the rig's Cluster API (tools/cluster.py) and tear it down
again.

Rows today:
  frame-rtt-host   raw echo frame round trip between two host tools
                   (fabric-echo) through the fabric: the fabric's own cost
  frame-rtt-vm     raw echo frame round trip from a host tool to a monitor
                   through the fabric; needs kernel-echo (see
                   tests/scenarios/ENABLED)
  frame-rtt-vm2    raw echo frame round trip between two monitors through
                   the fabric, timed by the first (echo_bench= boot
                   argument): the baseline later messaging rows divide by
  rpc-rtt-vm2      RPC round trip between the same two monitors (rpc_peers=
                   with rpc_req=32 and rpc_reply=8 or 4096, RPC_BENCH
                   calls): median and p99, their ratio to frame-rtt-vm2 of
                   64 B and 4096 B frames, calls/s on 1 and 4 threads and
                   the 4-thread median over the 1-thread one
  excache-miss     memtest 64 MiB through a 16 MiB ExCache on the default
                   cluster (tessera run --stats): median and p99 of the
                   misses that fetched from the mMonitor, fault to resume,
                   and their ratio to frame-rtt-vm2's 4096 B round trip
  memtest-time     memtest 64 MiB run time with the ExCache at 100 % and
                   25 % of the working set (excache=64M, 16M), and the ratio

BENCH_N (default 10000) sets the round trips per size.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402
import scenario  # noqa: E402
from cluster import Cluster, RigError  # noqa: E402
from clusterfile import ConfigError, find_cluster, parse_cluster  # noqa: E402
from processes import TABLE  # noqa: E402
from qemu_cmd import pick_accel  # noqa: E402

N = int(os.environ.get('BENCH_N', '10000'))
SIZES = (64, 4096)
ROWS = []
RAW_VM2 = {}   # frame size -> Result of frame_rtt_vm2, for the RPC ratios


@dataclass
class Result:
    what: str
    size: int
    n: int
    lost: int
    median_us: int
    p99_us: int
    accel: str
    note: str = ''


@dataclass
class Skip:
    what: str
    reason: str


def row(fn):
    ROWS.append(fn)
    return fn


def echo_bench(cluster, prober, target, what, accel):
    """fabric-echo on `prober` times round trips to `target`, one per size."""
    out = []
    mac = cluster.conf.node(target).mac
    for size in SIZES:
        since = cluster.mark(prober)
        cluster.send(prober, f'bench {mac} {N} {size}')
        m = cluster.wait_for(prober, r'^BENCH .*lost=(\d+)(?: median_us=(\d+) '
                             r'p99_us=(\d+))?', timeout=600, since=since)
        if m.group(2) is None:
            raise RigError(f'{what}: every round trip was lost')
        out.append(Result(what, size, N, int(m.group(1)), int(m.group(2)),
                          int(m.group(3)), accel))
    return out


@row
def frame_rtt_host():
    what = 'frame RTT host-tool<->host-tool via fabric (no VMs)'
    with Cluster('host-echo-pair', name='bench-frame-rtt-host',
                 timeout=1800) as c:
        return echo_bench(c, 'a', 'b', what, 'none')


@row
def frame_rtt_vm():
    what = 'frame RTT host-tool<->VM via fabric'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    with Cluster('echo-probe', name='bench-frame-rtt-vm', timeout=1800) as c:
        return echo_bench(c, 'probe', 'p0', what, c.accel)


@row
def frame_rtt_vm2():
    what = 'frame RTT VM<->VM via fabric'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    conf = parse_cluster(find_cluster('bench-vm2'))
    conf.node('a').args += f' echo_bench_n={N}'
    out = []
    with Cluster(conf, name='bench-frame-rtt-vm2', timeout=1800) as c:
        for size in SIZES:
            m = c.wait_for('a', rf'BENCH peer=\S+ size={size} n=\d+ lost=(\d+)'
                           r'(?: median_us=(\d+) p99_us=(\d+))?', timeout=900)
            if m.group(2) is None:
                raise RigError(f'{what}: every round trip was lost')
            out.append(Result(what, size, N, int(m.group(1)), int(m.group(2)),
                              int(m.group(3)), c.accel))
    RAW_VM2.update((r.size, r) for r in out)
    return out


def rpc_run(reply, threads):
    """One boot of bench-vm2: a makes N RPC_BENCH calls to b; the RPC
    line's match."""
    conf = parse_cluster(find_cluster('bench-vm2'))
    conf.node('a').args = (f'rpc_peers={conf.node("b").ip} rpc_count={N} '
                           f'rpc_req=32 rpc_reply={reply} rpc_threads={threads}')
    with Cluster(conf, name='bench-rpc-rtt-vm2', timeout=1800) as c:
        m = c.wait_for('a', r'RPC peer=\S+ sent=\d+ ok=(?P<ok>\d+) failed=(?P<failed>\d+)'
                       r' median_us=(?P<med>\d+) p99_us=(?P<p99>\d+) .*'
                       r'calls_per_s=(?P<cps>\d+)', timeout=900)
        return {k: int(v) for k, v in m.groupdict().items()}, c.accel


@row
def rpc_rtt_vm2():
    what = 'RPC RTT VM<->VM 32 B req (reply size)'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    out, one = [], {}
    for reply, raw_size, threads in ((8, 64, 1), (4096, 4096, 1), (8, 64, 4)):
        r, accel = rpc_run(reply, threads)
        raw = RAW_VM2.get(raw_size)
        note = f'{threads} thr {r["cps"]} calls/s'
        if raw and raw.median_us:
            note += f', RPC/raw({raw_size} B) {r["med"] / raw.median_us:.2f}'
        if threads == 1:
            one[reply] = r
        elif one.get(reply, {}).get('med'):
            note += f', 4thr/1thr median {r["med"] / one[reply]["med"]:.2f}'
        out.append(Result(what, reply, N, r['failed'], r['med'], r['p99'],
                          accel, note))
    return out


MEMTEST_MIB = 64


def memtest_run(excache_mib):
    """memtest on the default cluster with p0's ExCache at excache_mib:
    the stats line of tessera run --stats as a dict, and the accelerator."""
    conf = parse_cluster(find_cluster('default'))
    conf.node('p0').args += f' excache={excache_mib}M'
    with Cluster(conf, name='bench-memtest', timeout=1800) as c:
        argv = [str(paths.CLI_BIN), '--socket', str(c.cli_path('gpm')), 'run', '--stats',
                '/tests/memtest', str(MEMTEST_MIB)]
        r = subprocess.run(argv, capture_output=True, text=True, timeout=1200)
        if r.returncode or ' ok' not in r.stdout:
            raise RigError(f'memtest exited {r.returncode}: {r.stdout} {r.stderr}')
        stats = dict(re.findall(r'(\w+)=(\d+)', r.stderr))
        return {k: int(v) for k, v in stats.items()}, c.accel


@row
def excache_memtest():
    full, accel = memtest_run(MEMTEST_MIB)
    quarter, _ = memtest_run(MEMTEST_MIB // 4)
    raw = RAW_VM2.get(4096)
    note = f'{quarter["fetches"]} fetches, {quarter["writebacks"]} write-backs'
    if raw and raw.median_us:
        note += (f', raw 4096 B RTT {raw.median_us} us, miss/raw '
                 f'{quarter["miss_median_us"] / raw.median_us:.2f}')
    t100, t25 = full['run_ms'], quarter['run_ms']
    return [Result('ExCache miss fault->resume (memtest 4x cache)', 4096,
                   min(quarter['fetches'], 8192), 0, quarter['miss_median_us'],
                   quarter['miss_p99_us'], accel, note),
            Result('memtest run time (us), ExCache = 100 % of it', MEMTEST_MIB << 20, 1,
                   0, t100 * 1000, t100 * 1000, accel),
            Result('memtest run time (us), ExCache = 25 % of it', MEMTEST_MIB << 20, 1,
                   0, t25 * 1000, t25 * 1000, accel,
                   f'25 %/100 % = {t25 / max(t100, 1):.1f}')]


def print_results(results):
    for r in results:
        if isinstance(r, Skip):
            print(f'{r.what:<52} SKIP {r.reason}')
            continue
        print(f'{r.what:<52} {r.size:>5} B  {r.n:>6}  {r.median_us:>9}  '
              f'{r.p99_us:>7}  {r.lost:>4}  {r.accel}  {r.note}'.rstrip())


def main():
    print(f'Tessera bench (VM accelerator: {pick_accel()})')
    print(f'{"row":<52} {"size":>7}  {"n":>6}  {"median_us":>9}  {"p99_us":>7}  '
          f'{"lost":>4}  accel')
    failed = 0
    for fn in ROWS:
        try:
            res = fn()
        except (RigError, ConfigError) as e:
            print(f'{fn.__name__:<52} FAILED {e}')
            failed += 1
            continue
        print_results(res if isinstance(res, list) else [res])
    left = TABLE.leftover()
    if left:
        print(f'bench: processes left running: {left}')
        failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
