"""The Cluster API: boots a cluster described by a cluster file (see
tools/clusterfile.py) as QEMU VMs and host processes joined by the fabric,
waits for its nodes, drives nodes and the fabric, and tears it all down.

Every node boots with "name=<node> mac=<mac> ip=<ip>" before its args.
Fabric addresses exist only inside the fabric; nothing is configured on the
host. Managers (roles gpm, gmm, gsm) are host processes on the fabric,
started before the VMs. When a cluster has managers, every VM also boots
with "gpm=<ip> gmm=<ip> gsm=<ip> mgr_key=<key>", the rig waits for each VM's
"TESSERA REGISTERED name=<node>" line (every component registered) instead
of READY, and `send MANAGER LINE` runs the tessera CLI against that
manager's socket (<node>.cli) and appends "$ tessera LINE", its output and
"[exit N]" to the manager's log.

A Linux guest (role linux) boots Debian's kernel with the build's
initramfs (tests/linux/init) and the node's NIC, CPUs and RAM; its kernel
command line carries "tessera.name=<node> tessera.mac=<mac> tessera.ip=<ip>"
and the node's args. It prints READY like a monitor; `send NODE LINE` writes
LINE to its command port (<node>.cmd, the guest's ttyS1), which the guest
runs with sh, printing "$ LINE", the output and "[exit N]" on its console;
`run(NODE, LINE)` does that and returns (status, output).

Run state lives in build/rig/<cluster>/: <node>.log (console), <node>.sock,
<node>.cli (a manager's CLI socket), <node>.cmd (a Linux guest's command
port), fabric.ctl, fabric.log.

    c = Cluster('clusters/default.conf')     # or Cluster(parse_cluster(...))
    c.start()                  # fabric, then every node; waits for READY
    c.wait_for('p0', r'ECHO peer=\\S+ sent=(\\d+)', timeout=30) -> re.Match
    c.console_text('p0'); c.mark('p0'); c.send('probe', 'ping ...')
    c.set_fault('all', drop=0.1); c.cut('p0'); c.uncut('p0')
    c.partition(['p0'], ['m0']); c.heal(); c.fabric('stats'); c.stats()
    c.kill_node('p0'); c.start_node('p0'); c.restart_node('p0')
    c.crash_node('p0')         # SIGKILL: the VM stops with no flush
    c.restart_fabric(); c.stop()           # also: with Cluster(...) as c:
    c.start(keep_disks=True)   # again after stop(), on the same disk copies
    c.disk_path('s0')          # the disk image a node runs on (tools/disks.py)

Failures raise RigError. The processes are recorded in processes.TABLE.
"""

import re
import secrets
import shlex
import signal
import socket
import subprocess
import time

import disks
import paths
import processes
from clusterfile import ClusterConfig, UnknownNode, find_cluster, parse_cluster
from fabric_ctl import FAULT_KEYS, FabricError, fabric_command, fault_words, \
    parse_stats
from qemu_cmd import QemuCommand, pick_accel

READY = 'TESSERA READY name={}'
REGISTERED = 'TESSERA REGISTERED name={}'
LINUX_CMDLINE = 'console=ttyS0 quiet panic=-1'   # before tessera.* words
COMMAND_DONE = re.compile(r'^\[exit (\d+)\]$', re.M)
DEFAULT_TIMEOUT = 600          # seconds any process of a cluster may live


class RigError(Exception):
    """The cluster did not do what was asked (boot, ready, fabric command)."""


class Cluster:
    """A running cluster: the fabric and one process per node."""

    def __init__(self, conf, name=None, timeout=DEFAULT_TIMEOUT, accel=None,
                 seed=None, table=None, user_disk=False):
        self.conf = conf if isinstance(conf, ClusterConfig) else \
            parse_cluster(find_cluster(conf))
        self.name = name or self.conf.name
        self.dir = paths.RIG_RUNS / self.name
        self.user_disk = user_disk     # storage gets the user's disk (make run)
        self.disks = {}                # node -> (path, read_only): disks.prepare
        self.timeout = timeout
        self.accel = accel or pick_accel()
        self.seed = seed if seed is not None else self.conf.seed
        self.ctl = self.dir / 'fabric.ctl'
        self.table = table or processes.TABLE
        self.fabric_proc = None
        self.procs = {}
        self.cmd_socks = {}        # Linux guest -> its connected command port
        self._started_at = None
        self.key = str(secrets.randbits(63))   # the managers' cluster key

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def node(self, name):
        """The Node called `name`; RigError if the cluster has none."""
        try:
            return self.conf.node(name)
        except UnknownNode as e:
            raise RigError(str(e)) from None

    # files
    def log_path(self, node):
        return self.dir / f'{node}.log'

    def sock_path(self, node):
        return self.dir / f'{node}.sock'

    def cli_path(self, node):
        return self.dir / f'{node}.cli'

    def cmd_path(self, node):
        return self.dir / f'{node}.cmd'

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
    def start(self, wait=True, ready_timeout=None, keep_disks=False):
        self.dir.mkdir(parents=True, exist_ok=True)
        self._started_at = time.monotonic()
        for n in self.conf.nodes:
            self._check_program(n)
            self.log_path(n.name).write_bytes(b'')
        if not keep_disks or not self.disks:
            self.disks = {n.name: disks.prepare(n, self.dir, self.user_disk)
                          for n in self.conf.nodes if n.is_qemu}
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

    def _check_program(self, node):
        if node.is_linux:
            try:
                paths.linux_kernel()
            except LookupError as e:
                raise RigError(f'{node.name}: {e}') from None
        if not node.program.exists():
            raise RigError(f'{node.name}: {node.program.relative_to(paths.ROOT)} '
                           'is not built')
        if node.disk_path and not node.disk_path.exists():
            raise RigError(f'{node.name}: disk {node.disk_path} does not exist')

    def _fabric_argv(self):
        argv = [paths.FABRIC_BIN, '--ctl', self.ctl]
        if self.seed is not None:
            argv += ['--seed', self.seed]
        if self.conf.pcap:
            argv += ['--pcap', self.dir / 'fabric.pcap']
        for n in self.conf.nodes:
            argv += ['--port', f'{n.name}={self.sock_path(n.name)}']
        if self.conf.faults:
            argv += ['-c', 'set all ' + fault_words(self.conf.faults)]
        for n in self.conf.nodes:
            if n.faults:
                argv += ['-c', f'set {n.name} ' + fault_words(n.faults)]
        return argv

    def _start_fabric(self):
        if self.ctl.exists():
            self.ctl.unlink()
        (self.dir / 'fabric.log').write_bytes(b'')
        self.fabric_proc = self.table.spawn('fabric', self._fabric_argv(), self._left(),
                                            self.dir / 'fabric.log')
        deadline = time.monotonic() + 10
        # the socket file appears at bind(), before the fabric listens
        while True:
            if self.fabric_proc.poll() is not None or time.monotonic() > deadline:
                raise RigError(f'fabric did not start: see {self.dir}/fabric.log')
            try:
                if self.ctl.exists():
                    self.seed = int(self.fabric('seed')[0].split()[1])
                    return
            except ConnectionRefusedError:
                pass
            time.sleep(0.02)

    # each node's command line
    def _manager_argv(self, n):
        argv = [n.program, '--role', n.role, '--name', n.name, '--listen',
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

    def _boot_args(self, n):
        extra = self._manager_args() if n.is_vm else ''
        return f'name={n.name} mac={n.mac} ip={n.ip} {extra} {n.args}'.strip()

    def _vm_argv(self, n):
        q = QemuCommand(ram_mb=n.ram_mb, cpus=n.cpus, accel=self.accel)
        q.direct(n.program, self._boot_args(n))
        q.fabric_nic(self.sock_path(n.name), n.mac, n.nic)
        q.debug_exit()
        self._attach_disk(q, n)
        return q.console_file(self.log_path(n.name)).argv()

    def _attach_disk(self, q, n):
        if self.disks.get(n.name):
            path, read_only = self.disks[n.name]
            q.disk(path, readonly=read_only, bus=n.disk_bus)

    def disk_path(self, node):
        """The disk image file node runs on (its copy, for disk_mode copy)."""
        d = self.disks.get(node)
        if not d:
            raise RigError(f'{node} has no disk')
        return d[0]

    def _linux_argv(self, n):
        q = QemuCommand(ram_mb=n.ram_mb, cpus=n.cpus, accel=self.accel)
        words = f'tessera.name={n.name} tessera.mac={n.mac} tessera.ip={n.ip}'
        q.linux(paths.linux_kernel()[0], n.program,
                f'{LINUX_CMDLINE} {words} {n.args}'.strip())
        q.fabric_nic(self.sock_path(n.name), n.mac)
        self._attach_disk(q, n)
        q.console_file(self.log_path(n.name))
        return q.command_port(self.cmd_path(n.name)).argv()

    def _node_argv(self, n):
        if n.is_manager:
            return self._manager_argv(n)
        if n.is_linux:
            return self._linux_argv(n)
        if n.is_vm:
            return self._vm_argv(n)
        return [n.program, '--listen', self.sock_path(n.name)] + \
            shlex.split(self._boot_args(n))

    # nodes
    def start_node(self, node, wait=True, ready_timeout=None):
        n = self.node(node)
        if node in self.procs and self.procs[node].poll() is None:
            raise RigError(f'{node} is already running')
        stdin = subprocess.PIPE if n.role == 'host-echo' else subprocess.DEVNULL
        self.sock_path(node).unlink(missing_ok=True)
        self._close_cmd(node)
        out = self.dir / f'{node}.qemu.log' if n.is_qemu else self.log_path(node)
        self.procs[node] = self.table.spawn(node, self._node_argv(n), self._left(),
                                            out, stdin=stdin)
        if wait:
            self.wait_ready(node, ready_timeout)

    def kill_node(self, node):
        self.node(node)
        if node in self.procs:
            processes.end(self.procs[node])

    def crash_node(self, node):
        """SIGKILL a node's process: a VM stops at once, with no flush."""
        self.node(node)
        if node in self.procs:
            self.table.crash(self.procs[node])

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
        processes.end(self.fabric_proc)
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
        for node in list(self.cmd_socks):
            self._close_cmd(node)
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in list(self.procs.values()) + [self.fabric_proc]:
            if p is not None:
                processes.end(p)

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

    def ready_line(self, node):
        """What a node prints once it is in the cluster: REGISTERED for a VM
        of a cluster with managers, else READY."""
        n = self.node(node)
        line = REGISTERED if n.is_vm and self.conf.managers else READY
        return line.format(node)

    def wait_ready(self, node, timeout=None, since=0):
        ready = re.escape(self.ready_line(node)) + r'(\s|$)'
        return self.wait_for(node, ready, timeout or 120.0, since)

    def cli(self, node, line, timeout=30.0):
        """Run `tessera LINE` against a manager's CLI socket; returns
        (exit status, output) and appends both to the manager's log."""
        argv = [str(paths.CLI_BIN), '--socket', str(self.cli_path(node))] + \
            shlex.split(line)
        try:
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RigError(f'{node}: tessera {line} timed out') from None
        out = (r.stdout + r.stderr).decode(errors='replace')
        with open(self.log_path(node), 'a') as log:
            log.write(f'$ tessera {line}\n{out}[exit {r.returncode}]\n')
        return r.returncode, out

    def _close_cmd(self, node):
        s = self.cmd_socks.pop(node, None)
        if s:
            s.close()

    def _send_command(self, node, line):
        """Write LINE to a Linux guest's command port (connected on first
        use, again after the guest restarts)."""
        if '\n' in line:
            raise RigError(f'{node}: a command is one line')
        for attempt in (0, 1):
            s = self.cmd_socks.get(node)
            try:
                if s is None:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect(str(self.cmd_path(node)))
                    self.cmd_socks[node] = s
                s.sendall(line.encode() + b'\n')
                return
            except OSError as e:
                self._close_cmd(node)
                if attempt:
                    raise RigError(f'{node}: command port: {e}') from None

    def run(self, node, line, timeout=60.0):
        """Run LINE in a Linux guest and wait for it to end: (exit status,
        its output). Commands run one at a time, in the order sent."""
        since = self.mark(node)
        self._send_command(node, line)
        m = self.wait_for(node, COMMAND_DONE.pattern, timeout, since)
        text = self.console_text(node)[since:since + m.start()]
        out = text.split('\n', 1)[1] if text.startswith('$ ') and '\n' in text else text
        return int(m.group(1)), out

    def send(self, node, line):
        """Write a command line to a host node's stdin (fabric-echo) or a
        Linux guest's command port, or run the tessera CLI against a
        manager."""
        if self.node(node).is_manager:
            self.cli(node, line)
            return
        if self.node(node).is_linux:
            self._send_command(node, line)
            return
        p = self.procs.get(node)
        if p is None or p.stdin is None:
            raise RigError(f'{node} takes no commands')
        p.stdin.write(line.encode() + b'\n')
        p.stdin.flush()

    # the fabric
    def fabric(self, command):
        """One fabric control command; its reply lines."""
        try:
            return fabric_command(self.ctl, command)
        except FabricError as e:
            raise RigError(str(e)) from None

    def set_fault(self, target='all', **faults):
        """set_fault('all', drop=0.1) or set_fault('p0', latency_us=100)."""
        bad = set(faults) - set(FAULT_KEYS)
        if bad:
            raise RigError(f'unknown fault {", ".join(sorted(bad))}')
        return self.fabric(f'set {target} ' + fault_words(faults))

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
