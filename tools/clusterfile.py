"""Cluster files (clusters/*.conf): the parser and what it produces, a
ClusterConfig of Nodes. Python 3 standard library only.

A cluster file describes the fabric and the nodes:

    [fabric]
    seed = 42                 # fault randomness; default: chosen and reported
    pcap = on                 # capture to build/rig/<cluster>/fabric.pcap
    drop = 0.1                # faults for every port: latency_us, drop, dup,
                              # reorder, reorder_us

    [node p0]
    role = processor          # processor|memory|storage -> a monitor image;
                              # linux -> a Linux guest (Debian's kernel and
                              # build/linux/initramfs.cpio, tests/linux/init);
                              # host-echo -> build/host/fabric-echo;
                              # rpc-client -> build/host/rpc-client (runs
                              # its rpc_peers= load once, then exits);
                              # gpm|gmm|gsm -> build/host/tessera-mgr
    image = production        # production: build/<role>.elf; test:
                              # build/test/<role>.elf (self-tests, test
                              # backends); monitors only
    cpus = 1
    ram = 256M
    args = ktest=all echo_peers=$peers   # extra boot arguments (a Linux
                              # guest: extra kernel command line words)
    mac = 52:54:00:77:00:01   # default: from the node's position
    ip = 10.77.0.1            # a fabric address; default: from the position
    nic = virtio              # the VM's NIC: virtio (virtio-net) or e1000e
                              # (an Intel 82574L); monitors only
    latency_us = 100          # faults on frames this node sends
    disk = build/disk/rootfs.img   # the VM's disk; the default for role
                              # storage; "none": no disk
    disk_bus = virtio         # what the disk hangs on: virtio (virtio-blk)
                              # or nvme (an NVMe controller); VMs with a
                              # disk only, nvme not with disk_mode readonly
    disk_mode = copy          # copy: the cluster's own writable copy, made
                              # at cluster start (storage's default); keep:
                              # the image itself, writable; readonly: the
                              # image itself, read-only (the others' default)
                              # (tools/disks.py)

In `args`, $mac(NODE) and $ip(NODE) name another node's addresses and $peers
is the MACs of all other nodes, comma-separated. Managers' args are extra
tessera-mgr options (--dead-ms 2000). A bad file raises ConfigError, whose
str() is one "file:line: reason" line.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import paths
from fabric_ctl import FAULT_KEYS
from qemu_cmd import DISK_BUSES, NIC_MODELS

VM_ROLES = paths.MONITORS
MGR_ROLES = ('gpm', 'gmm', 'gsm')
HOST_BINS = {'host-echo': paths.ECHO_BIN, 'rpc-client': paths.RPC_CLIENT_BIN}
LINUX_ROLE = 'linux'
ROLES = VM_ROLES + (LINUX_ROLE,) + tuple(HOST_BINS) + MGR_ROLES
IMAGES = ('production', 'test')
NODE_KEYS = ('role', 'image', 'cpus', 'ram', 'args', 'mac', 'ip', 'nic', 'disk', 'disk_bus',
             'disk_mode') + FAULT_KEYS
DISK_MODES = ('copy', 'keep', 'readonly')
FABRIC_KEYS = ('seed', 'pcap') + FAULT_KEYS


class ConfigError(Exception):
    """A bad cluster file; str() is "file:line: reason"."""


class UnknownNode(LookupError):
    """ClusterConfig.node() was given a name the cluster does not have."""


@dataclass
class Node:
    name: str
    index: int
    line: int
    role: str = ''
    image: str = 'production'  # or 'test': which build of a monitor it boots
    cpus: int = 1
    ram_mb: int = 128
    args: str = ''
    mac: str = ''
    ip: str = ''
    nic: str = 'virtio'        # a key of qemu_cmd.NIC_MODELS
    disk_bus: str = 'virtio'   # one of qemu_cmd.DISK_BUSES
    disk: str = ''             # a path, "none", or '' for the role's default
    mode: str = ''             # disk_mode, or '' for the role's default
    faults: dict = field(default_factory=dict)

    @property
    def is_vm(self):
        return self.role in VM_ROLES

    @property
    def is_linux(self):
        """A Linux guest: a QEMU VM like a monitor's, but it does not
        register with the managers."""
        return self.role == LINUX_ROLE

    @property
    def is_qemu(self):
        return self.is_vm or self.is_linux

    @property
    def is_manager(self):
        return self.role in MGR_ROLES

    @property
    def program(self):
        """What the node runs: a monitor image, a Linux guest's initramfs
        (its kernel is paths.linux_kernel()) or a host program."""
        if self.is_manager:
            return paths.MGR_BIN
        if self.is_linux:
            return paths.LINUX_INITRAMFS
        if self.is_vm:
            return paths.monitor_image(self.role, test=self.image == 'test')
        return HOST_BINS[self.role]

    @property
    def disk_path(self):
        """The disk image a VM gets, or None."""
        if self.disk == 'none' or not self.is_qemu:
            return None
        if self.disk:
            return paths.ROOT / self.disk
        return paths.DEFAULT_DISK if self.role == 'storage' else None

    @property
    def disk_mode(self):
        """copy, keep or readonly (tools/disks.py)."""
        return self.mode or ('copy' if self.role == 'storage' else 'readonly')


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
        raise UnknownNode(f'{self.name}: no node {name}')

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
    elif key == 'image':
        if value not in IMAGES:
            raise ValueError(f'bad image {value!r} (production|test)')
        node.image = value
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
    elif key == 'nic':
        if value not in NIC_MODELS:
            raise ValueError(f'bad nic {value!r} ({"|".join(NIC_MODELS)})')
        node.nic = value
    elif key == 'disk':
        node.disk = value
    elif key == 'disk_bus':
        if value not in DISK_BUSES:
            raise ValueError(f'bad disk_bus {value!r} ({"|".join(DISK_BUSES)})')
        node.disk_bus = value
    elif key == 'disk_mode':
        if value not in DISK_MODES:
            raise ValueError(f'bad disk_mode {value!r} ({"|".join(DISK_MODES)})')
        node.mode = value
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
        if n.image == 'test' and not n.is_vm:
            raise ConfigError(f'{where}: node {n.name!r}: image = test is for '
                              f'{"|".join(VM_ROLES)} only')
        if n.nic != 'virtio' and not n.is_vm:
            raise ConfigError(f'{where}: node {n.name!r}: nic = {n.nic} is for '
                              f'{"|".join(VM_ROLES)} only')
        if n.disk_bus != 'virtio' and n.disk_path is None:
            raise ConfigError(f'{where}: node {n.name!r}: disk_bus = {n.disk_bus} '
                              f'but the node has no disk')
        if n.disk_bus == 'nvme' and n.disk_mode == 'readonly':
            raise ConfigError(f'{where}: node {n.name!r}: disk_bus = nvme cannot be '
                              f'read-only (QEMU\'s NVMe controller does not report '
                              f'write protection): disk_mode = copy or keep')
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
    return paths.ROOT / 'clusters' / f'{name}.conf'

