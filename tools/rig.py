#!/usr/bin/env python3
"""The rig: boots a Tessera cluster of QEMU VMs (and host nodes) joined by the
fabric, and tears it down again. Python 3 standard library only.

A cluster file (clusters/*.conf) describes the fabric and the nodes:

    [fabric]
    seed = 42                 # fault randomness; default: chosen and reported
    pcap = on                 # capture to build/rig/<cluster>/fabric.pcap
    drop = 0.1                # faults for every port: latency_us, drop, dup,
                              # reorder, reorder_us

    [node p0]
    role = processor          # processor|memory|storage -> build/<role>.elf;
                              # host-echo -> build/host/fabric-echo;
                              # rpc-client -> build/host/rpc-client (runs
                              # its rpc_peers= load once, then exits);
                              # gpm|gmm|gsm -> build/host/tessera-mgr
    cpus = 1
    ram = 256M
    args = ktest=all echo_peers=$peers   # extra boot arguments
    mac = 52:54:00:77:00:01   # default: from the node's position
    ip = 10.77.0.1            # a fabric address; default: from the position
    latency_us = 100          # faults on frames this node sends
    disk = build/disk/rootfs.img   # a read-only virtio-blk disk (VMs); the
                              # default for role storage; "none": no disk

In `args`, $mac(NODE) and $ip(NODE) name another node's addresses and $peers
is the MACs of all other nodes, comma-separated. Every node boots with
"name=<node> mac=<mac> ip=<ip>" before its args. Fabric addresses exist only
inside the fabric; nothing is configured on the host.

Managers (roles gpm, gmm, gsm) are host processes on the fabric, started
before the VMs; their args are extra tessera-mgr options (--dead-ms 2000).
When a cluster has managers, every VM also boots with "gpm=<ip> gmm=<ip>
gsm=<ip> mgr_key=<key>", the rig waits for each VM's "TESSERA REGISTERED
name=<node>" line (every component registered) instead of READY, and
`send MANAGER LINE` runs the tessera CLI against that manager's socket
(<node>.cli) and appends "$ tessera LINE", its output and "[exit N]" to the
manager's log.

Run state lives in build/rig/<cluster>/: <node>.log (console), <node>.sock,
<node>.cli (a manager's CLI socket),
fabric.ctl, fabric.log, rig.sock (for the CLI while `up` runs).

Python API (scenarios and the bench use it):

    c = Cluster('clusters/default.conf')     # or Cluster(parse_cluster(...))
    c.start()                  # fabric, then every node; waits for READY
    c.wait_for('p0', r'ECHO peer=\\S+ sent=(\\d+)', timeout=30) -> re.Match
    c.console_text('p0'); c.mark('p0'); c.send('probe', 'ping ...')
    c.set_fault('all', drop=0.1); c.cut('p0'); c.uncut('p0')
    c.partition(['p0'], ['m0']); c.heal(); c.fabric('stats'); c.stats()
    c.kill_node('p0'); c.start_node('p0'); c.restart_node('p0')
    c.restart_fabric(); c.stop()           # also: with Cluster(...) as c:

CLI: rig.py up|check|fault|stats|kill|start|restart|send|down, see --help.
"""

import argparse
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / 'build'
FABRIC_BIN = BUILD / 'host' / 'fabric'
ECHO_BIN = BUILD / 'host' / 'fabric-echo'
RPC_CLIENT_BIN = BUILD / 'host' / 'rpc-client'
MGR_BIN = BUILD / 'host' / 'tessera-mgr'
CLI_BIN = BUILD / 'host' / 'tessera'
QEMU = 'qemu-system-x86_64'
QBOOT = '/usr/share/qemu/qboot.rom'

VM_ROLES = ('processor', 'memory', 'storage')
MGR_ROLES = ('gpm', 'gmm', 'gsm')
HOST_BINS = {'host-echo': ECHO_BIN, 'rpc-client': RPC_CLIENT_BIN}
ROLES = VM_ROLES + tuple(HOST_BINS) + MGR_ROLES
FAULT_KEYS = ('latency_us', 'drop', 'dup', 'reorder', 'reorder_us')
NODE_KEYS = ('role', 'cpus', 'ram', 'args', 'mac', 'ip', 'disk') + FAULT_KEYS
FABRIC_KEYS = ('seed', 'pcap') + FAULT_KEYS
READY = 'TESSERA READY name={}'
REGISTERED = 'TESSERA REGISTERED name={}'
DEFAULT_DISK = BUILD / 'disk' / 'rootfs.img'   # storage nodes' default
DEFAULT_TIMEOUT = 600          # seconds any process of a cluster may live

# Every process any Cluster in this interpreter started: (pid, what, Popen),
# and the program each timeout(1) runs: (pid, what, argv0).
STARTED = []
CHILDREN = []


class ConfigError(Exception):
    """A bad cluster file; str() is "file:line: reason"."""


class RigError(Exception):
    """The cluster did not do what was asked (boot, ready, fabric command)."""


# --- cluster files ---------------------------------------------------------

@dataclass
class Node:
    name: str
    index: int
    line: int
    role: str = ''
    cpus: int = 1
    ram_mb: int = 128
    args: str = ''
    mac: str = ''
    ip: str = ''
    disk: str = ''             # a path, "none", or '' for the role's default
    faults: dict = field(default_factory=dict)

    @property
    def is_vm(self):
        return self.role in VM_ROLES

    @property
    def is_manager(self):
        return self.role in MGR_ROLES

    @property
    def image(self):
        if self.is_manager:
            return MGR_BIN
        return HOST_BINS.get(self.role, BUILD / f'{self.role}.elf')

    @property
    def disk_path(self):
        """The disk image a VM gets, or None."""
        if self.disk == 'none' or not self.is_vm:
            return None
        if self.disk:
            return ROOT / self.disk
        return DEFAULT_DISK if self.role == 'storage' else None


@dataclass
class ClusterConfig:
    name: str
    path: str
    nodes: list
    seed: int = None
    pcap: bool = False
    faults: dict = field(default_factory=dict)

    def node(self, name):
        for n in self.nodes:
            if n.name == name:
                return n
        raise RigError(f'{self.name}: no node {name}')

    @property
    def managers(self):
        return [n for n in self.nodes if n.is_manager]


def _size_mb(value):
    m = re.fullmatch(r'(\d+)\s*([MG])i?B?', value, re.I)
    if not m:
        raise ValueError(f'bad size {value!r} (want e.g. 256M or 1G)')
    mb = int(m.group(1)) * (1024 if m.group(2).upper() == 'G' else 1)
    if not 32 <= mb <= 65536:
        raise ValueError(f'bad size {value!r} (32M..64G)')
    return mb


def _fault_value(key, value):
    try:
        v = float(value)
    except ValueError:
        raise ValueError(f'bad value {value!r} for {key}') from None
    if v < 0 or (not key.endswith('_us') and v > 1):
        raise ValueError(f'bad value {value!r} for {key}')
    return value


def _int_in(key, value, lo, hi):
    if not re.fullmatch(r'\d+', value) or not lo <= int(value) <= hi:
        raise ValueError(f'bad {key} {value!r} ({lo}..{hi})')
    return int(value)


def _set_node_key(node, key, value):
    if key == 'role':
        if value not in ROLES:
            raise ValueError(f'unknown role {value!r} (one of {", ".join(ROLES)})')
        node.role = value
    elif key == 'cpus':
        node.cpus = _int_in(key, value, 1, 64)
    elif key == 'ram':
        node.ram_mb = _size_mb(value)
    elif key == 'args':
        node.args = value
    elif key == 'mac':
        if not re.fullmatch(r'([0-9a-f]{2}:){5}[0-9a-f]{2}', value.lower()) \
                or int(value[:2], 16) & 1:
            raise ValueError(f'bad mac {value!r}')
        node.mac = value.lower()
    elif key == 'ip':
        parts = value.split('.')
        if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
            raise ValueError(f'bad ip {value!r}')
        node.ip = value
    elif key == 'disk':
        node.disk = value
    else:
        node.faults[key] = _fault_value(key, value)


def _set_fabric_key(conf, key, value):
    if key == 'seed':
        conf.seed = _int_in(key, value, 0, 2**64 - 1)
    elif key == 'pcap':
        if value not in ('on', 'off'):
            raise ValueError(f'bad pcap {value!r} (on|off)')
        conf.pcap = value == 'on'
    else:
        conf.faults[key] = _fault_value(key, value)


def _parse_line(conf, section, text, where):
    """Apply one non-blank line; returns the (possibly new) section."""
    m = re.fullmatch(r'\[\s*(fabric|node\s+(\S+))\s*\]', text)
    if m:
        if not m.group(2):
            return 'fabric'
        name = m.group(2)
        if not re.fullmatch(r'[a-z][a-z0-9_-]{0,30}', name):
            raise ConfigError(f'{where}: bad node name {name!r}')
        if any(n.name == name for n in conf.nodes):
            raise ConfigError(f'{where}: duplicate node {name!r}')
        conf.nodes.append(Node(name, len(conf.nodes), int(where.rsplit(':', 1)[1])))
        return conf.nodes[-1]
    m = re.fullmatch(r'([a-z_]+)\s*=\s*(.*)', text)
    if not m:
        raise ConfigError(f'{where}: expected [section] or key = value')
    key, value = m.group(1), m.group(2).strip()
    keys = FABRIC_KEYS if section == 'fabric' else NODE_KEYS
    if section is None:
        raise ConfigError(f'{where}: {key} outside a [fabric] or [node] section')
    if key not in keys:
        raise ConfigError(f'{where}: unknown key {key!r}')
    try:
        if section == 'fabric':
            _set_fabric_key(conf, key, value)
        else:
            _set_node_key(section, key, value)
    except ValueError as e:
        raise ConfigError(f'{where}: {e}') from None
    return section


def _substitute(conf, node, where):
    def addr(m):
        other = next((n for n in conf.nodes if n.name == m.group(2)), None)
        if other is None:
            raise ConfigError(f'{where}: no node {m.group(2)!r} for ${m.group(1)}()')
        return getattr(other, m.group(1))
    peers = ','.join(n.mac for n in conf.nodes if n is not node)
    args = re.sub(r'\$(mac|ip)\(([^)]*)\)', addr, node.args)
    return args.replace('$peers', peers)


def _finish(conf, path):
    if not conf.nodes:
        raise ConfigError(f'{path}:1: no [node NAME] sections')
    seen = {}
    for n in conf.nodes:
        where = f'{path}:{n.line}'
        if not n.role:
            raise ConfigError(f'{where}: node {n.name!r} has no role')
        n.mac = n.mac or f'52:54:00:77:00:{n.index + 1:02x}'
        n.ip = n.ip or f'10.77.0.{n.index + 1}'
        for addr in (n.mac, n.ip):
            if addr in seen:
                raise ConfigError(f'{where}: {addr} already used by node {seen[addr]!r}')
            seen[addr] = n.name
    for n in conf.nodes:
        n.args = _substitute(conf, n, f'{path}:{n.line}')


def parse_cluster(path):
    """Read a cluster file; ConfigError("file:line: reason") if it is bad."""
    path = str(path)
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as e:
        raise ConfigError(f'{path}:0: {e.strerror}') from None
    conf = ClusterConfig(Path(path).stem, path, [])
    section = None
    for i, raw in enumerate(lines, 1):
        text = re.sub(r'(^|\s)#.*', '', raw).strip()
        if text:
            section = _parse_line(conf, section, text, f'{path}:{i}')
    _finish(conf, path)
    return conf


def find_cluster(name):
    """A cluster file by path, or by name under clusters/."""
    p = Path(name)
    if p.suffix == '.conf' or p.exists():
        return p
    return ROOT / 'clusters' / f'{name}.conf'


# --- processes -------------------------------------------------------------

def pick_accel():
    """ACCEL=tcg|kvm wins; else KVM only where the CPU has VT-x/AMD-V."""
    env = os.environ.get('ACCEL')
    if env in ('tcg', 'kvm'):
        return env
    try:
        flags = Path('/proc/cpuinfo').read_text()
    except OSError:
        return 'tcg'
    return 'kvm' if re.search(r'\b(vmx|svm)\b', flags) else 'tcg'


def _spawn(what, argv, timeout, log, stdin=subprocess.DEVNULL):
    """Start argv under timeout(1) so it dies even if the rig is killed."""
    cmd = ['timeout', '-k', '5', str(int(timeout))] + [str(a) for a in argv]
    with open(log, 'ab') as out:
        p = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
    STARTED.append((p.pid, what, p))
    _note_child(p, what, Path(str(argv[0])).name)
    return p


def _note_child(p, what, prog):
    """Remember the pid of the program timeout(1) runs for p."""
    children = Path(f'/proc/{p.pid}/task/{p.pid}/children')
    for _ in range(100):
        try:
            pids = children.read_text().split()
        except OSError:
            return
        if pids:
            CHILDREN.append((int(pids[0]), what, prog))
            return
        time.sleep(0.01)


def _running(pid, prog):
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
        cmd = Path(f'/proc/{pid}/cmdline').read_bytes().split(b'\0')[0]
    except OSError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] != 'Z' and \
        Path(cmd.decode(errors='replace')).name == prog


def _end(p, grace=5.0):
    """Stop a process this rig started: SIGTERM, then SIGKILL; reaps it."""
    if p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(grace)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def leftover_processes():
    """Processes started by any Cluster here that are still running, as
    (pid, what): the timeout(1) wrappers and the programs they run."""
    return [(pid, what) for pid, what, p in STARTED if p.poll() is None] + \
        [(pid, what) for pid, what, prog in CHILDREN if _running(pid, prog)]


def stop_all():
    """End every process any Cluster here started (for Ctrl-C handlers)."""
    for _, _, p in STARTED:
        _end(p)


def fabric_command(ctl, line, timeout=10.0):
    """Send one control command to a fabric; returns its reply lines (without
    the final "ok"); RigError on "err ..."."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(ctl))
        s.sendall(line.encode() + b'\n')
        buf = b''
        while not re.search(rb'(^|\n)(ok|err[^\n]*)\n$', buf):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    lines = buf.decode().splitlines()
    if not lines or lines[-1] != 'ok':
        raise RigError(f'fabric: {line}: {lines[-1] if lines else "no reply"}')
    return lines[:-1]


def parse_stats(lines):
    """stats reply lines -> {port: {counter: int, 'state': str}, 'total': {...}}"""
    out = {}
    for line in lines:
        words = line.split()
        if words[0] == 'port':
            out[words[1]] = _kv(words[2:])
        elif words[0] == 'total':
            out['total'] = _kv(words[1:])
        elif words[0].startswith('held='):
            out['total']['held'] = int(words[0][5:])
    return out


def _kv(words):
    d = {}
    for w in words:
        k, v = w.split('=', 1)
        d[k] = int(v) if v.isdigit() else v
    return d


# --- the cluster -----------------------------------------------------------

class Cluster:
    """A running cluster: the fabric and one process per node."""

    def __init__(self, conf, name=None, timeout=DEFAULT_TIMEOUT, accel=None,
                 seed=None):
        self.conf = conf if isinstance(conf, ClusterConfig) else \
            parse_cluster(find_cluster(conf))
        self.name = name or self.conf.name
        self.dir = BUILD / 'rig' / self.name
        self.timeout = timeout
        self.accel = accel or pick_accel()
        self.seed = seed if seed is not None else self.conf.seed
        self.ctl = self.dir / 'fabric.ctl'
        self.fabric_proc = None
        self.procs = {}
        self._started_at = None
        self.key = str(secrets.randbits(63))   # the managers' cluster key

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # files
    def log_path(self, node):
        return self.dir / f'{node}.log'

    def sock_path(self, node):
        return self.dir / f'{node}.sock'

    def cli_path(self, node):
        return self.dir / f'{node}.cli'

    def console_text(self, node):
        try:
            return self.log_path(node).read_text(errors='replace')
        except FileNotFoundError:
            return ''

    def mark(self, node):
        """The console's current length: pass as since= to wait_for."""
        return len(self.console_text(node))

    def _left(self):
        return self.timeout - (time.monotonic() - self._started_at)

    # start and stop
    def start(self, wait=True, ready_timeout=None):
        self.dir.mkdir(parents=True, exist_ok=True)
        self._started_at = time.monotonic()
        for n in self.conf.nodes:
            self._check_image(n)
            self.log_path(n.name).write_bytes(b'')
        try:
            self._start_fabric()
            for n in self.conf.managers:
                self.start_node(n.name, wait=wait, ready_timeout=ready_timeout)
            for n in self.conf.nodes:
                if not n.is_manager:
                    self.start_node(n.name, wait=False)
            if wait:
                for n in self.conf.nodes:
                    self.wait_ready(n.name, ready_timeout)
                self.wait_attached()
        except BaseException:
            self.stop()
            raise
        return self

    def _check_image(self, node):
        if not node.image.exists():
            raise RigError(f'{node.name}: {node.image.relative_to(ROOT)} is not built')
        if node.disk_path and not node.disk_path.exists():
            raise RigError(f'{node.name}: disk {node.disk_path} does not exist')

    def _fabric_argv(self):
        argv = [FABRIC_BIN, '--ctl', self.ctl]
        if self.seed is not None:
            argv += ['--seed', self.seed]
        if self.conf.pcap:
            argv += ['--pcap', self.dir / 'fabric.pcap']
        for n in self.conf.nodes:
            argv += ['--port', f'{n.name}={self.sock_path(n.name)}']
        if self.conf.faults:
            argv += ['-c', 'set all ' + _fault_words(self.conf.faults)]
        for n in self.conf.nodes:
            if n.faults:
                argv += ['-c', f'set {n.name} ' + _fault_words(n.faults)]
        return argv

    def _start_fabric(self):
        if self.ctl.exists():
            self.ctl.unlink()
        (self.dir / 'fabric.log').write_bytes(b'')
        self.fabric_proc = _spawn('fabric', self._fabric_argv(), self._left(),
                                  self.dir / 'fabric.log')
        deadline = time.monotonic() + 10
        while not self.ctl.exists():
            if self.fabric_proc.poll() is not None or time.monotonic() > deadline:
                raise RigError(f'fabric did not start: see {self.dir}/fabric.log')
            time.sleep(0.02)
        self.seed = int(self.fabric('seed')[0].split()[1])

    def _manager_argv(self, n):
        argv = [MGR_BIN, '--role', n.role, '--name', n.name, '--listen',
                self.sock_path(n.name), '--mac', n.mac, '--ip', n.ip,
                '--cli', self.cli_path(n.name), '--key', self.key]
        for other in self.conf.managers:
            if n.role == 'gpm' and other.role in ('gmm', 'gsm'):
                argv += [f'--{other.role}', other.ip]
        return argv + shlex.split(n.args)

    def _manager_args(self):
        """Boot arguments that name the managers to a VM."""
        words = [f'{m.role}={m.ip}' for m in self.conf.managers]
        return ' '.join(words + [f'mgr_key={self.key}']) if words else ''

    def _node_argv(self, n):
        if n.is_manager:
            return self._manager_argv(n)
        extra = self._manager_args() if n.is_vm else ''
        boot = f'name={n.name} mac={n.mac} ip={n.ip} {extra} {n.args}'.strip()
        if not n.is_vm:
            return [n.image, '--listen', self.sock_path(n.name)] + shlex.split(boot)
        return [QEMU, '-M', 'q35', '-accel', self.accel, '-cpu', 'max',
                '-m', n.ram_mb, '-smp', n.cpus, '-display', 'none', '-nodefaults',
                '-no-reboot', '-bios', QBOOT, '-kernel', n.image, '-append', boot,
                '-nic', 'none', '-netdev', 'stream,id=n0,server=on,addr.type=unix,'
                f'addr.path={self.sock_path(n.name)}',
                '-device', f'virtio-net-pci,netdev=n0,mac={n.mac},disable-legacy=on',
                '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
                '-chardev', f'file,id=con,path={self.log_path(n.name)},append=on',
                '-serial', 'chardev:con', '-monitor', 'none'] + _disk_argv(n)

    def start_node(self, node, wait=True, ready_timeout=None):
        n = self.conf.node(node)
        if node in self.procs and self.procs[node].poll() is None:
            raise RigError(f'{node} is already running')
        stdin = subprocess.PIPE if n.role == 'host-echo' else subprocess.DEVNULL
        self.sock_path(node).unlink(missing_ok=True)
        out = self.dir / f'{node}.qemu.log' if n.is_vm else self.log_path(node)
        self.procs[node] = _spawn(node, self._node_argv(n), self._left(), out,
                                  stdin=stdin)
        if wait:
            self.wait_ready(node, ready_timeout)

    def kill_node(self, node):
        self.conf.node(node)
        if node in self.procs:
            _end(self.procs[node])

    def restart_node(self, node, wait=True, ready_timeout=None):
        """Kill a node and boot it again; waits for a new READY line."""
        self.kill_node(node)
        since = self.mark(node)
        self.start_node(node, wait=False)
        if wait:
            self.wait_ready(node, ready_timeout, since=since)

    def restart_fabric(self):
        """Stop and start the fabric under running nodes; they reconnect.
        The new fabric has the cluster file's faults, not later changes."""
        _end(self.fabric_proc)
        self._start_fabric()
        self.wait_attached()

    def wait_attached(self, timeout=10.0):
        """Wait until the fabric is connected to every running node."""
        deadline = time.monotonic() + timeout
        while True:
            st = self.stats()
            waiting = [n for n, p in self.procs.items()
                       if p.poll() is None and st[n]['state'] == 'waiting']
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise RigError(f'fabric not connected to {", ".join(waiting)}')
            time.sleep(0.05)

    def stop(self):
        """Stop every process of this cluster (only those it started)."""
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in list(self.procs.values()) + [self.fabric_proc]:
            if p is not None:
                _end(p)

    def pids(self):
        return [p.pid for p in list(self.procs.values()) + [self.fabric_proc] if p]

    # consoles
    def wait_for(self, node, regex, timeout=60.0, since=0):
        """Wait until `regex` (multiline) matches the console text after
        offset `since`; returns the match (offsets are relative to since)."""
        pat = re.compile(regex, re.M)
        deadline = time.monotonic() + min(timeout, max(self._left(), 0))
        while True:
            m = pat.search(self.console_text(node)[since:])
            if m:
                return m
            p = self.procs.get(node)
            if p is not None and p.poll() is not None:
                raise RigError(f'{node} exited (status {p.returncode}) '
                               f'before /{regex}/; see {self.log_path(node)}')
            if time.monotonic() > deadline:
                raise RigError(f'{node}: timed out waiting for /{regex}/')
            time.sleep(0.05)

    def wait_ready(self, node, timeout=None, since=0):
        """READY, or REGISTERED for a VM of a cluster with managers."""
        n = self.conf.node(node)
        line = REGISTERED if n.is_vm and self.conf.managers else READY
        ready = re.escape(line.format(node)) + r'(\s|$)'
        return self.wait_for(node, ready, timeout or 120.0, since)

    def cli(self, node, line, timeout=30.0):
        """Run `tessera LINE` against a manager's CLI socket; returns
        (exit status, output) and appends both to the manager's log."""
        argv = [str(CLI_BIN), '--socket', str(self.cli_path(node))] + shlex.split(line)
        try:
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RigError(f'{node}: tessera {line} timed out') from None
        out = (r.stdout + r.stderr).decode(errors='replace')
        with open(self.log_path(node), 'a') as log:
            log.write(f'$ tessera {line}\n{out}[exit {r.returncode}]\n')
        return r.returncode, out

    def send(self, node, line):
        """Write a command line to a host node's stdin (fabric-echo), or
        run the tessera CLI against a manager."""
        if self.conf.node(node).is_manager:
            self.cli(node, line)
            return
        p = self.procs.get(node)
        if p is None or p.stdin is None:
            raise RigError(f'{node} takes no commands')
        p.stdin.write(line.encode() + b'\n')
        p.stdin.flush()

    # the fabric
    def fabric(self, command):
        return fabric_command(self.ctl, command)

    def set_fault(self, target='all', **faults):
        """set_fault('all', drop=0.1) or set_fault('p0', latency_us=100)."""
        bad = set(faults) - set(FAULT_KEYS)
        if bad:
            raise RigError(f'unknown fault {", ".join(sorted(bad))}')
        return self.fabric(f'set {target} ' + _fault_words(faults))

    def cut(self, node):
        return self.fabric(f'down {node}')

    def uncut(self, node):
        return self.fabric(f'up {node}')

    def partition(self, a, b):
        return self.fabric(f'partition {",".join(a)} {",".join(b)}')

    def heal(self):
        return self.fabric('heal')

    def stats(self):
        return parse_stats(self.fabric('stats'))


def _disk_argv(n):
    if not n.disk_path:
        return []
    return ['-drive', f'file={n.disk_path},format=raw,if=none,id=d0,readonly=on',
            '-device', 'virtio-blk-pci,drive=d0,disable-legacy=on']


def _fault_words(faults):
    return ' '.join(f'{k}={v}' for k, v in faults.items())


# --- command line ----------------------------------------------------------

def _serve(cluster, stop):
    """rig.sock: lets `rig.py kill|start|restart|send|down` reach `up`."""
    path = cluster.dir / 'rig.sock'
    if path.exists():
        path.unlink()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(str(path))
    srv.listen(4)
    srv.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        with conn:
            conn.sendall(_serve_one(cluster, conn.recv(4096).decode(), stop).encode())
    srv.close()
    path.unlink()


def _serve_one(cluster, line, stop):
    words = line.split(None, 2)
    try:
        if words[0] == 'down':
            stop.set()
        elif words[0] in ('kill', 'start', 'restart'):
            {'kill': cluster.kill_node, 'start': cluster.start_node,
             'restart': cluster.restart_node}[words[0]](words[1])
        elif words[0] == 'send':
            cluster.send(words[1], words[2].strip())
        else:
            return f'err unknown request {words[0]}\n'
    except (RigError, IndexError, OSError) as e:
        return f'err {e}\n'
    return 'ok\n'


def _request(cluster_name, line):
    path = BUILD / 'rig' / cluster_name / 'rig.sock'
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(300)
        s.connect(str(path))
        s.sendall(line.encode())
        reply = s.recv(4096).decode().strip()
    print(reply)
    return 0 if reply == 'ok' else 1


def cmd_up(a):
    c = Cluster(a.cluster, name=a.name, timeout=a.timeout)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    try:
        c.start()
        print(f'{c.name}: up (accel={c.accel} seed={c.seed}); consoles in '
              f'{c.dir}; Ctrl-C or `rig.py down {c.name}` stops it', flush=True)
        threading.Thread(target=_serve, args=(c, stop), daemon=True).start()
        stop.wait(max(c._left() - 5, 0))
    except KeyboardInterrupt:
        pass
    except RigError as e:
        print(f'rig: {e}', file=sys.stderr)
        return 1
    finally:
        stop.set()
        c.stop()
    return 0


def cmd_check(a):
    bad = 0
    for f in a.files:
        try:
            conf = parse_cluster(find_cluster(f))
            print(f'{conf.path}: ok, {len(conf.nodes)} nodes')
        except ConfigError as e:
            print(e)
            bad += 1
    return 1 if bad else 0


def cmd_fabric(a):
    ctl = BUILD / 'rig' / a.name / 'fabric.ctl'
    words = a.words if a.cmd == 'fault' else ['stats']
    try:
        for line in fabric_command(ctl, ' '.join(words)) or ['ok']:
            print(line)
    except (RigError, OSError) as e:
        print(f'rig: {e}', file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description='Boot and drive a Tessera cluster.')
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('up', help='boot a cluster and keep it up until Ctrl-C')
    p.add_argument('cluster', nargs='?', default='default')
    p.add_argument('--name', help='run name (default: the cluster file name)')
    p.add_argument('--timeout', type=int, default=3600, help='seconds, then stop')
    p = sub.add_parser('check', help='validate cluster files')
    p.add_argument('files', nargs='+')
    p = sub.add_parser('fault', help='a fabric control command, e.g. '
                       '"set all drop=0.1", "down p0", "partition a b", "heal"')
    p.add_argument('name')
    p.add_argument('words', nargs='+')
    p = sub.add_parser('stats', help='fabric counters')
    p.add_argument('name')
    for verb in ('kill', 'start', 'restart'):
        p = sub.add_parser(verb, help=f'{verb} one node of a running cluster')
        p.add_argument('name')
        p.add_argument('node')
    p = sub.add_parser('send', help='a command line to a host node')
    p.add_argument('name')
    p.add_argument('node')
    p.add_argument('line')
    p = sub.add_parser('down', help='stop a cluster started with up')
    p.add_argument('name')
    a = ap.parse_args(argv)
    if a.cmd == 'up':
        return cmd_up(a)
    if a.cmd == 'check':
        return cmd_check(a)
    if a.cmd in ('fault', 'stats'):
        return cmd_fabric(a)
    line = ' '.join([a.cmd] + [getattr(a, k) for k in ('node', 'line') if hasattr(a, k)])
    return _request(a.name, line)


if __name__ == '__main__':
    sys.exit(main())
