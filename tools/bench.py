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
                   argument): the baseline later messaging rows divide by;
                   its note splits the round trip (medians): the guests'
                   own code (tx, peer, rx) and the rest, the virtual NICs'
                   emulation, the fabric and the host
  frame-rtt-vm2-e1000e   the same with both monitors on Intel 82574L NICs
                   (e1000e), and its ratio to the virtio-net row
  rpc-rtt-vm2      RPC round trip between the same two monitors (rpc_peers=
                   with rpc_req=32 and rpc_reply=8 or 4096, RPC_BENCH
                   calls): median and p99, their ratio to frame-rtt-vm2 of
                   64 B and 4096 B frames, calls/s on 1 and 4 threads and
                   the 4-thread median over the 1-thread one
  rpc-rtt-vm2-e1000e     the 1-thread RPC rows on e1000e NICs, and their
                   ratio to the virtio-net ones
  excache-miss     memtest 64 MiB through a 16 MiB ExCache on the default
                   cluster (tessera run --stats): median and p99 of the
                   misses that fetched from the mMonitor, fault to resume,
                   and their ratio to frame-rtt-vm2's 4096 B round trip
  memtest-time     memtest 64 MiB run time with the ExCache at 100 % and
                   25 % of the working set (excache=64M, 16M), and the ratio
  proc-costs       fork+exit+wait latency and a one-byte pipe ping-pong
                   round trip between two processes (tests/progs/procbench)
                   in a vNode on the default cluster and on this host, and
                   the vNode's median over the host's
  disk-seq-read    sequential reads, one at a time in 4 KiB and 128 KiB
                   chunks, of a virtio-blk and an NVMe disk in one sMonitor
                   (its test image, ktest=blk-bench), and NVMe's median
                   over virtio-blk's
  replication      memtest 64 MiB through a 16 MiB ExCache on the default
                   cluster (one mComponent) and on clusters/replicated.conf
                   (every change at two), alternately, twice each: the run
                   time ratio, replicated over single (best of each); then
                   the failover pause: the primary killed 5 s into a
                   replicated run, until p0 says the backup took over (the
                   retried miss completes one round trip later)
  smp-threads      on a 2-CPU pComponent, ExCache misses per second of
                   threadmem (64 MiB, 16 MiB ExCache) with 4 threads over 1
                   thread; a 2-thread CPU-bound program (spinners) on 2 CPUs
                   over 1 CPU
  frame-rtt-linux2 raw echo frame round trip between two Linux guests
                   through the fabric (fabric-echo on their eth0): what the
                   same link costs a Linux kernel
  side-by-side     each workload (memtest, hashtab, sqlite, sort,
                   wordcount; tools/bench_linux.py) in a vNode at ExCache =
                   100, 50, 25, 12.5 % of its working set, in a Linux guest
                   all-local, and capped to the same sizes with swap on a
                   ramdisk and over the fabric (NBD); the awk loop in a
                   vNode and in the guest

BENCH_N (default 10000) sets the round trips per size; BENCH_ROWS=a,b runs
only those rows (function names), BENCH_WORKLOADS=a,b only those workloads.

Every ratio of the tables is also written to build/bench/summary.json, one
key each (README, "make bench"), so that runs can be compared over time.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_linux  # noqa: E402
import paths  # noqa: E402
import scenario  # noqa: E402
from cluster import Cluster, RigError  # noqa: E402
from clusterfile import ConfigError, find_cluster, parse_cluster  # noqa: E402
from processes import TABLE  # noqa: E402
from qemu_cmd import DISK_BUSES, EXIT_PASS, QemuCommand, pick_accel  # noqa: E402

N = int(os.environ.get('BENCH_N', '10000'))
SIZES = (64, 4096)
ROWS = []
RAW_VM2 = {}   # frame size -> Result of frame_rtt_vm2, for the RPC ratios
RAW_HOST = {}  # frame size -> Result of frame_rtt_host
SUMMARY = {}   # ratio name -> value: build/bench/summary.json


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
        out = echo_bench(c, 'a', 'b', what, 'none')
    RAW_HOST.update((r.size, r) for r in out)
    return out


@row
def frame_rtt_vm():
    what = 'frame RTT host-tool<->VM via fabric'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    with Cluster('echo-probe', name='bench-frame-rtt-vm', timeout=1800) as c:
        return echo_bench(c, 'probe', 'p0', what, c.accel)


def vm2_conf(nic):
    """bench-vm2 with both monitors on `nic` (qemu_cmd.NIC_MODELS)."""
    conf = parse_cluster(find_cluster('bench-vm2'))
    for n in conf.nodes:
        n.nic = nic
    return conf


def vm2_frames(nic, what):
    """Raw echo round trips between bench-vm2's monitors, one per size."""
    conf = vm2_conf(nic)
    conf.node('a').args += f' echo_bench_n={N}'
    out = []
    with Cluster(conf, name=f'bench-frame-rtt-vm2-{nic}', timeout=1800) as c:
        for size in SIZES:
            m = c.wait_for('a', rf'BENCH peer=\S+ size={size} n=\d+ lost=(\d+)'
                           r'(?: median_us=(\d+) p99_us=(\d+) (.*))?$', timeout=900)
            if m.group(2) is None:
                raise RigError(f'{what}: every round trip was lost')
            out.append(Result(what, size, N, int(m.group(1)), int(m.group(2)),
                              int(m.group(3)), c.accel, rtt_profile(m.group(4))))
    return out


def rtt_profile(fields):
    """The echo bench's split of a round trip (cluster/frame_echo.c):
    'tx_us=1 peer_us=2 ...' as a note, each part's median in µs."""
    parts = dict(f.split('=') for f in fields.split())
    names = (('tx_us', 'tx'), ('peer_us', 'peer'), ('rx_us', 'rx'),
             ('outside_us', 'emulation+fabric'))
    return 'median µs: ' + ', '.join(f'{label} {parts[k]}' for k, label in names
                                      if k in parts)


@row
def frame_rtt_vm2():
    what = 'frame RTT VM<->VM via fabric'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    out = vm2_frames('virtio', what)
    RAW_VM2.update((r.size, r) for r in out)
    for r in out:
        ratio('frame_rtt_vm2_over_host', r.size, r.median_us, RAW_HOST)
        guest = guest_us(r.note)
        if guest is not None and r.median_us:
            SUMMARY[f'frame_rtt_vm2_guest_share_{r.size}B'] = round(guest / r.median_us, 3)
    return out


def guest_us(note):
    """tx + peer + rx of an rtt_profile note: the guests' own code."""
    m = re.search(r'tx (\d+), peer (\d+), rx (\d+)', note)
    return sum(int(x) for x in m.groups()) if m else None


@row
def frame_rtt_vm2_e1000e():
    what = 'frame RTT VM<->VM via fabric, e1000e NICs'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    out = vm2_frames('e1000e', what)
    for r in out:
        ratio('frame_rtt_e1000e_over_virtio', r.size, r.median_us, RAW_VM2)
        base = RAW_VM2.get(r.size)
        if base and base.median_us:
            r.note = f'e1000e/virtio {r.median_us / base.median_us:.2f}; {r.note}'
    return out


def rpc_run(reply, threads, nic='virtio'):
    """One boot of bench-vm2: a makes N RPC_BENCH calls to b; the RPC
    line's match."""
    conf = vm2_conf(nic)
    conf.node('a').args = (f'rpc_peers={conf.node("b").ip} rpc_count={N} '
                           f'rpc_req=32 rpc_reply={reply} rpc_threads={threads}')
    with Cluster(conf, name=f'bench-rpc-rtt-vm2-{nic}', timeout=1800) as c:
        m = c.wait_for('a', r'RPC peer=\S+ sent=\d+ ok=(?P<ok>\d+) failed=(?P<failed>\d+)'
                       r' median_us=(?P<med>\d+) p99_us=(?P<p99>\d+) .*'
                       r'calls_per_s=(?P<cps>\d+)', timeout=900)
        return {k: int(v) for k, v in m.groupdict().items()}, c.accel


RPC_VM2 = {}  # reply size -> 1-thread result of rpc_rtt_vm2 (virtio)


@row
def rpc_rtt_vm2():
    what = 'RPC RTT VM<->VM 32 B req (reply size)'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    out, one = [], RPC_VM2
    for reply, raw_size, threads in ((8, 64, 1), (4096, 4096, 1), (8, 64, 4)):
        r, accel = rpc_run(reply, threads)
        raw = RAW_VM2.get(raw_size)
        note = f'{threads} thr {r["cps"]} calls/s'
        if raw and raw.median_us:
            note += f', RPC/raw({raw_size} B) {r["med"] / raw.median_us:.2f}'
            if threads == 1:
                SUMMARY[f'rpc_over_raw_{reply}B'] = round(r['med'] / raw.median_us, 3)
        if threads == 1:
            one[reply] = r
        elif one.get(reply, {}).get('med'):
            note += f', 4thr/1thr median {r["med"] / one[reply]["med"]:.2f}'
            SUMMARY['rpc_4thr_over_1thr_median'] = round(r['med'] / one[reply]['med'], 3)
        out.append(Result(what, reply, N, r['failed'], r['med'], r['p99'],
                          accel, note))
    return out


@row
def rpc_rtt_vm2_e1000e():
    what = 'RPC RTT VM<->VM 32 B req, e1000e NICs'
    if 'kernel-echo' not in scenario.enabled_caps():
        return Skip(what, 'needs kernel-echo (not in tests/scenarios/ENABLED)')
    out = []
    for reply in (8, 4096):
        r, accel = rpc_run(reply, 1, 'e1000e')
        note = f'1 thr {r["cps"]} calls/s'
        base = RPC_VM2.get(reply, {}).get('med')
        if base and r['med']:
            note += f', e1000e/virtio {r["med"] / base:.2f}'
            SUMMARY[f'rpc_e1000e_over_virtio_{reply}B'] = round(r['med'] / base, 3)
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
        SUMMARY['miss_over_raw_4096B'] = round(quarter['miss_median_us'] / raw.median_us, 3)
    t100, t25 = full['run_ms'], quarter['run_ms']
    SUMMARY['memtest_25_over_100'] = round(t25 / max(t100, 1), 3)
    return [Result('ExCache miss fault->resume (memtest 4x cache)', 4096,
                   min(quarter['fetches'], 8192), 0, quarter['miss_median_us'],
                   quarter['miss_p99_us'], accel, note),
            Result('memtest run time (us), ExCache = 100 % of it', MEMTEST_MIB << 20, 1,
                   0, t100 * 1000, t100 * 1000, accel),
            Result('memtest run time (us), ExCache = 25 % of it', MEMTEST_MIB << 20, 1,
                   0, t25 * 1000, t25 * 1000, accel,
                   f'25 %/100 % = {t25 / max(t100, 1):.1f}')]


PROC_FORKS = 300
PROC_PINGS = 3000
PROCBENCH = re.compile(r'PROCBENCH what=(\w+) n=(\d+) median_us=(\d+) p99_us=(\d+)')


def procbench_parse(out, where):
    m = PROCBENCH.search(out)
    if not m:
        raise RigError(f'procbench on {where} printed no result: {out!r}')
    return int(m.group(2)), int(m.group(3)), int(m.group(4))


@row
def proc_costs():
    conf = parse_cluster(find_cluster('default'))
    out = []
    with Cluster(conf, name='bench-proc', timeout=1800) as c:
        for what, n in (('fork', PROC_FORKS), ('pipe', PROC_PINGS)):
            argv = [str(paths.CLI_BIN), '--socket', str(c.cli_path('gpm')), 'run',
                    '/tests/procbench', what, str(n)]
            r = subprocess.run(argv, capture_output=True, text=True, timeout=1200,
                               stdin=subprocess.DEVNULL)
            vn = procbench_parse(r.stdout, 'a vNode')
            h = subprocess.run([str(paths.ROOT / 'build/progs/procbench'), what, str(n)],
                               capture_output=True, text=True, timeout=600)
            host = procbench_parse(h.stdout, 'the host')
            key = f'{what}_vnode_over_host'
            SUMMARY[key] = round(vn[1] / max(host[1], 1), 3)
            label = ('fork+exit+wait' if what == 'fork' else 'pipe ping-pong round trip')
            out.append(Result(f'{label} in a vNode', 1 if what == 'pipe' else 0, vn[0], 0,
                              vn[1], vn[2], c.accel,
                              f'host {host[1]} us (p99 {host[2]}), vNode/host '
                              f'{SUMMARY[key]:.1f}'))
    return out


DISK_MIB = 64
BLKBENCH = re.compile(r'BLKBENCH disk=(\S+) chunk=(\d+) n=(\d+) median_us=(\d+) '
                      r'p99_us=(\d+) mib_s=(\d+)')


def blk_bench_boot():
    """The storage test image with a virtio-blk and an NVMe disk of
    DISK_MIB each, both on the root bus, running ktest=blk-bench: (exit
    status, console)."""
    q = QemuCommand(ram_mb=256).direct(paths.monitor_image('storage', test=True),
                                       'ktest=blk-bench').debug_exit()
    with tempfile.TemporaryDirectory() as tmp:
        for bus in DISK_BUSES:
            disk = Path(tmp) / f'{bus}.raw'
            with open(disk, 'wb') as f:
                f.truncate(DISK_MIB << 20)
            q.disk(disk, bus=bus)
        return TABLE.run(q.argv(), 600)


@row
def disk_seq_read():
    rc, out = blk_bench_boot()
    found = {}
    for m in BLKBENCH.finditer(out):
        bus = 'nvme' if m.group(1).startswith('nvme') else 'virtio'
        found[(bus, int(m.group(2)))] = [int(g) for g in m.groups()[2:]]
    if rc != EXIT_PASS or len(found) != 2 * len(DISK_BUSES):
        raise RigError(f'disk_seq_read: exit {rc}, {len(found)} BLKBENCH lines of '
                       f'{2 * len(DISK_BUSES)}\n{out[-2000:]}')
    res = []
    for (bus, chunk), (n, med, p99, mib_s) in sorted(found.items(), key=lambda kv: (kv[0][1], kv[0][0] != 'virtio')):
        label = 'NVMe' if bus == 'nvme' else 'virtio-blk'
        res.append(Result(f'disk sequential read, {label} (per read)', chunk, n, 0, med,
                          p99, pick_accel(), f'{mib_s} MiB/s'))
        if bus == 'nvme' and found[('virtio', chunk)][1]:
            SUMMARY[f'disk_read_nvme_over_virtio_{chunk}B'] = round(
                med / found[('virtio', chunk)][1], 3)
    return res


def memtest_on(cluster_name, during=None):
    """memtest 64 MiB on cluster_name with p0's 16 MiB ExCache; during(c)
    runs while it does. The stats dict, the accelerator and during's value."""
    with Cluster(cluster_name, name=f'bench-{cluster_name}', timeout=1800) as c:
        argv = [str(paths.CLI_BIN), '--socket', str(c.cli_path('gpm')), 'run', '--stats',
                '/tests/memtest', str(MEMTEST_MIB)]
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        extra = during(c) if during else None
        out, err = p.communicate(timeout=1200)
        if p.returncode or ' ok' not in out:
            raise RigError(f'memtest on {cluster_name} exited {p.returncode}: {out} {err}')
        stats = {k: int(v) for k, v in re.findall(r'(\w+)=(\d+)', err)}
        return stats, c.accel, extra


def failover_pause(c):
    """Kill m0 5 s in; the ms until p0 logs that m1 took over."""
    time.sleep(5)
    since = c.mark('p0')
    t0 = time.monotonic()
    c.kill_node('m0')
    c.wait_for('p0', r'pmem: pid \d+: memory replica \S+ failed .*primary now', timeout=120,
               since=since)
    return int((time.monotonic() - t0) * 1000)


@row
def replication():
    runs = {'default': [], 'replicated': []}
    accel = ''
    for _ in range(2):
        for name in runs:
            stats, accel, _ = memtest_on(name)
            runs[name].append(stats['run_ms'])
    single, repl = min(runs['default']), min(runs['replicated'])
    SUMMARY['memtest_replicated_over_single'] = round(repl / max(single, 1), 3)
    _, _, pause_ms = memtest_on('replicated', failover_pause)
    SUMMARY['failover_pause_ms'] = pause_ms
    return [Result('memtest run time (us), one mComponent', MEMTEST_MIB << 20, 2, 0,
                   single * 1000, max(runs['default']) * 1000, accel),
            Result('memtest run time (us), replicated on two', MEMTEST_MIB << 20, 2, 0,
                   repl * 1000, max(runs['replicated']) * 1000, accel,
                   f'replicated/single = {repl / max(single, 1):.2f}'),
            Result('failover pause (us), kill to takeover', MEMTEST_MIB << 20, 1, 0,
                   pause_ms * 1000, pause_ms * 1000, accel)]


def stats_run(cluster_name, argv, tag):
    """tessera run --stats ARGV on a fresh CLUSTER_NAME cluster: the stats
    line as a dict, and the accelerator."""
    conf = parse_cluster(find_cluster(cluster_name))
    with Cluster(conf, name=f'bench-{tag}', timeout=1800) as c:
        cmd = [str(paths.CLI_BIN), '--socket', str(c.cli_path('gpm')), 'run', '--stats'] + argv
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
        if r.returncode or ' ok' not in r.stdout and 'result' not in r.stdout:
            raise RigError(f'{argv[0]} exited {r.returncode}: {r.stdout} {r.stderr}')
        stats = dict(re.findall(r'(\w+)=(\d+)', r.stderr))
        return {k: int(v) for k, v in stats.items()}, c.accel


SPIN_WORK = '100'  # million rounds per thread of tests/progs/spinners


@row
def smp_threads():
    """Threads on several CPUs: the ExCache misses per second of threadmem
    (64 MiB through the 16 MiB ExCache) with 4 threads over 1 thread on a
    2-CPU pComponent, and a CPU-bound 2-thread program (spinners) on 2 CPUs
    over on 1 CPU."""
    out = []
    rates = {}
    for t in (1, 4):
        st, accel = stats_run('smp', ['/tests/threadmem', str(t), str(MEMTEST_MIB)], f'tmem{t}')
        rates[t] = st['fetches'] * 1000 / max(st['run_ms'], 1)
        out.append(Result(f'ExCache misses/s, threadmem {t} thread(s), 2 CPUs', 4096,
                          st['fetches'], 0, int(rates[t]), int(rates[t]), accel,
                          f'{st["fetches"]} fetches in {st["run_ms"]} ms'))
    SUMMARY['excache_miss_rate_4t_over_1t'] = round(rates[4] / max(rates[1], 1e-9), 3)
    out[-1].note += f', 4 threads / 1 thread = {rates[4] / max(rates[1], 1e-9):.2f} (LegoOS: 5.3 with 8)'
    times = {}
    for name, cpus in (('default', 1), ('smp', 2)):
        st, accel = stats_run(name, ['/tests/spinners', '2', SPIN_WORK], f'spin{cpus}')
        times[cpus] = st['run_ms']
        out.append(Result(f'spinners 2 threads run time (us), {cpus} CPU(s)', 0, 1, 0,
                          st['run_ms'] * 1000, st['run_ms'] * 1000, accel))
    SUMMARY['spinners_2cpu_over_1cpu'] = round(times[2] / max(times[1], 1), 3)
    out[-1].note = f'2 CPUs / 1 CPU = {times[2] / max(times[1], 1):.2f}'
    return out


def ratio(name, size, value, base):
    """SUMMARY[name_<size>B] = value / base[size].median_us, if known."""
    b = base.get(size)
    if b and b.median_us and value:
        SUMMARY[f'{name}_{size}B'] = round(value / b.median_us, 3)


@row
def frame_rtt_linux2():
    what = 'frame RTT Linux guest<->Linux guest via fabric'
    rtt = bench_linux.guest_echo_bench(N, SIZES)
    out = []
    for size, (med, p99, lost) in rtt.items():
        vm2 = RAW_VM2.get(size)
        note = f'Tessera VM<->VM / Linux {vm2.median_us / med:.2f}' if vm2 else ''
        out.append(Result(what, size, N, lost, med, p99, pick_accel(), note))
        ratio('frame_rtt_linux2_over_host', size, med, RAW_HOST)
        if vm2:
            SUMMARY[f'frame_rtt_vm2_over_linux2_{size}B'] = round(vm2.median_us / med, 3)
    return out


def _side_result(w, label, o, base=None, key=None):
    """A Result for one run (o: Outcome or None); with base, the ratio
    o / base goes into the note and, under key, into SUMMARY."""
    size = w.ws_mib << 20
    if o is None or o.us is None:
        why = o.note if o else 'not run: a larger share already hit the limit'
        return Skip(f'{w.name} {label}', why)
    note = o.note
    if base is not None and base.us:
        note += f'; / {base.label} = {o.us / base.us:.2f}'
        SUMMARY[key] = round(o.us / base.us, 3)
    return Result(f'{w.name} {label} (run time us)', size, 1, 0, o.us, o.us,
                  pick_accel(), note)


def _labelled(o, label):
    if o is not None:
        o.label = label
    return o


def _check_outputs(w, runs):
    """Every finished run printed the same output as the guest all-local."""
    ref = runs[0][1]
    for label, o in runs:
        if o is not None and o.us is not None and o.output != ref.output:
            raise RigError(f'{w.name}: {label} printed {o.output[:120]!r}, the guest '
                           f'all-local {ref.output[:120]!r}')


def side_by_side_one(w, tess, lin):
    local = _labelled(lin['local'][w.name], 'linux local')
    if not w.ws_mib:
        t = _labelled(tess['local'], 'tessera')
        _check_outputs(w, [('linux local', local), ('tessera', t)])
        return [_side_result(w, 'linux guest', local),
                _side_result(w, 'tessera vNode', t, local, f'{w.name}_tessera_over_linux')]
    runs = [('linux local', local)]
    out = [_side_result(w, 'linux local', local)]
    t100 = _labelled(tess.get(100), 'tessera 100 %')
    for pct in bench_linux.RATIOS:
        k = bench_linux.pct_key(pct)
        t = _labelled(tess.get(pct), f'tessera {pct} %')
        brd = _labelled(lin['brd'].get((w.name, pct)), f'linux brd {pct} %')
        nbd = _labelled(lin['nbd'].get((w.name, pct)), f'linux nbd {pct} %')
        runs += [(f'tessera {pct} %', t), (f'linux brd {pct} %', brd),
                 (f'linux nbd {pct} %', nbd)]
        if pct == 100:
            out.append(_side_result(w, 'tessera 100 %', t, local,
                                    f'{w.name}_tessera100_over_linux_local'))
        else:
            out.append(_side_result(w, f'tessera {pct} %', t, t100,
                                    f'{w.name}_tessera{k}_over_tessera100'))
        out.append(_side_result(w, f'linux brd {pct} %', brd))
        out.append(_side_result(w, f'linux nbd {pct} %', nbd))
        for o, name in ((brd, 'brd'), (nbd, 'nbd')):
            if t and t.us and o and o.us:
                SUMMARY[f'{w.name}_tessera{k}_over_linux_{name}{k}'] = round(t.us / o.us, 3)
    _check_outputs(w, runs)
    return out


@row
def side_by_side():
    works = bench_linux.selected()
    tess = {w.name: bench_linux.tessera_runs(w) for w in works}
    lin = bench_linux.linux_runs(works)
    out = []
    for w in works:
        out += side_by_side_one(w, tess[w.name], lin)
    return out


def write_summary():
    path = paths.BUILD / 'bench' / 'summary.json'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(SUMMARY, indent=1, sort_keys=True) + '\n')
    print(f'bench: {len(SUMMARY)} ratios in {path.relative_to(paths.ROOT)}')


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
    only = os.environ.get('BENCH_ROWS')
    for fn in ROWS:
        if only and fn.__name__ not in only.split(','):
            continue
        try:
            res = fn()
        except (RigError, ConfigError) as e:
            print(f'{fn.__name__:<52} FAILED {e}')
            failed += 1
            continue
        print_results(res if isinstance(res, list) else [res])
    write_summary()
    left = TABLE.leftover()
    if left:
        print(f'bench: processes left running: {left}')
        failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
