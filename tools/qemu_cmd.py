"""The one place that writes QEMU command lines: the in-kernel tests
(tools/testrun.py), the rig's VMs (tools/cluster.py) and through it the
scenarios, `make run` and the bench all describe a VM with a QemuCommand
and run its argv().

    q = QemuCommand(ram_mb=256, cpus=1)        # accelerator: pick_accel()
    q.direct('build/memory.elf', 'ktest=all')  # PVH boot through qboot
    q.iso('build/test/tessera.iso', 2, 'ktest=all')   # or GRUB from a CD
    q.iso(iso, 0, 'ktest=all', firmware='uefi')        # ... on OVMF
    q.linux(bzimage, initramfs, 'console=ttyS0')       # or a Linux guest
    q.fabric_nic(sock, mac)                    # a NIC on the fabric
    q.fabric_nic(sock, mac, 'e1000e')          # ... an Intel 82574L
    q.disk(path, readonly=True)                # virtio-blk
    q.disk(path, bus='nvme')                   # an NVMe controller
    q.debug_exit()                             # guest exit status 33 / 35
    q.console_file(log)                        # default: the serial on stdio
    q.command_port(sock)                       # a second serial port on a
                                               # Unix socket (Linux guests)
    subprocess.run(q.argv())

QEMU never gets a network other than these: `-nic none`, then only stream
netdevs over Unix sockets that the fabric connects to.
"""

import os
import re
from pathlib import Path

QEMU = 'qemu-system-x86_64'
QBOOT = '/usr/share/qemu/qboot.rom'
# The ISO's two firmwares: SeaBIOS (QEMU's default, GRUB's i386-pc half of
# the hybrid ISO) and OVMF (UEFI, GRUB's x86_64-efi half; package ovmf).
OVMF = '/usr/share/ovmf/OVMF.fd'
FIRMWARES = ('bios', 'uefi')
# The NICs a VM can have, as QEMU devices.
NIC_MODELS = {
    'virtio': 'virtio-net-pci,netdev={netdev},mac={mac},disable-legacy=on',
    'e1000e': 'e1000e,netdev={netdev},mac={mac}',
}
# What a disk can hang on, and what may stand between it and the root bus
# (QemuCommand.disk).
DISK_BUSES = ('virtio', 'nvme')
PCIE_PATHS = ('root-port', 'switch')

# One machine type for every VM. q35 works for the clusters and for the
# in-kernel tests once the tests' NIC pair is joined by the fabric: the old
# `-netdev hubport` pair is what forced `-M pc` there, because with
# qboot a q35 machine that has any hubport netdev (even one with no NIC)
# halts in qboot's panic() before the kernel runs (QEMU 7.2). GRUB ISO
# boots (SeaBIOS, CD on AHCI) work on q35 too.
MACHINE = 'q35'

# isa-debug-exit: the guest writes v to port 0xf4 and QEMU exits (v << 1) | 1.
DEBUG_EXIT = 'isa-debug-exit,iobase=0xf4,iosize=0x04'
EXIT_PASS, EXIT_FAIL = 33, 35   # arch_exit(true), arch_exit(false)


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


class QemuCommand:
    """One VM: machine, memory, cpus, boot method, devices, console."""

    def __init__(self, ram_mb=256, cpus=1, accel=None):
        self.ram_mb = ram_mb
        self.cpus = cpus
        self.accel = accel or pick_accel()
        self._boot = []
        self._devices = []
        self._console = ['-serial', 'stdio']
        self._nics = 0
        self._disks = 0

    # how it boots (one of these)
    def direct(self, kernel, append=''):
        """A PVH ELF image booted with -kernel through the qboot firmware."""
        self._boot = ['-bios', QBOOT, '-kernel', str(kernel), '-append', append]
        return self

    def linux(self, kernel, initrd, append=''):
        """A Linux bzImage and its initramfs, loaded by qboot."""
        self._boot = ['-bios', QBOOT, '-kernel', str(kernel), '-initrd', str(initrd),
                      '-append', append]
        return self

    def iso(self, iso, entry=0, args='', firmware='bios'):
        """An ISO booted through GRUB on SeaBIOS ('bios') or OVMF ('uefi');
        the SMBIOS OEM string tessera:<entry>:<args> picks the menu entry
        and adds boot arguments."""
        if firmware not in FIRMWARES:
            raise ValueError(f'firmware {firmware!r}: one of {", ".join(FIRMWARES)}')
        fw = ['-bios', OVMF] if firmware == 'uefi' else []
        self._boot = fw + ['-cdrom', str(iso),
                           '-smbios', f'type=11,value=tessera:{entry}:{args}']
        return self

    # devices
    def fabric_nic(self, sock, mac, model='virtio'):
        """A NIC (NIC_MODELS: virtio-net or an Intel 82574L) whose netdev
        listens on `sock` for the fabric."""
        if model not in NIC_MODELS:
            raise ValueError(f'nic {model!r}: one of {", ".join(NIC_MODELS)}')
        dev = f'n{self._nics}'
        self._nics += 1
        self._devices += [
            '-netdev', f'stream,id={dev},server=on,addr.type=unix,'
                       f'addr.path={sock}',
            '-device', NIC_MODELS[model].format(netdev=dev, mac=mac)]
        return self

    def disk(self, path, readonly=False, bus='virtio', behind=None):
        """A raw image as a disk on `bus`: 'virtio' (virtio-blk) or
        'nvme' (an NVMe controller whose namespace 1 is the image). By
        default on the root bus; `behind` one of PCIE_PATHS puts it behind
        a PCIe root port of its own, or behind a switch (its upstream and
        one downstream port) on such a root port."""
        if bus not in DISK_BUSES:
            raise ValueError(f'disk bus {bus!r}: one of {", ".join(DISK_BUSES)}')
        dev = f'd{self._disks}'
        self._disks += 1
        ro = ',readonly=on' if readonly else ''
        self._devices += ['-drive', f'file={path},format=raw,if=none,id={dev}{ro}']
        at = self._pcie_path(dev, behind)
        if bus == 'nvme':
            self._devices += ['-device', f'nvme,serial=tessera-{dev},drive={dev}{at}']
        else:
            self._devices += ['-device', f'virtio-blk-pci,drive={dev},disable-legacy=on{at}']
        return self

    def _pcie_path(self, dev, behind):
        """The ports in front of device `dev`; its bus= option."""
        if behind is None:
            return ''
        if behind not in PCIE_PATHS:
            raise ValueError(f'behind {behind!r}: one of {", ".join(PCIE_PATHS)}')
        chassis = 2 * self._disks      # unique per port: two per disk
        self._devices += ['-device', f'pcie-root-port,id=rp{dev},chassis={chassis},slot=0']
        if behind == 'root-port':
            return f',bus=rp{dev}'
        self._devices += ['-device', f'x3130-upstream,id=up{dev},bus=rp{dev}',
                          '-device', f'xio3130-downstream,id=dn{dev},bus=up{dev},'
                                     f'chassis={chassis + 1},slot=0']
        return f',bus=dn{dev}'

    def debug_exit(self):
        """The isa-debug-exit device: the guest's arch_exit() ends QEMU
        with EXIT_PASS or EXIT_FAIL."""
        self._devices += ['-device', DEBUG_EXIT]
        return self

    # the serial console
    def console_file(self, path):
        """The serial console appended to a file instead of stdout."""
        self._console = ['-chardev', f'file,id=con,path={path},append=on',
                         '-serial', 'chardev:con']
        return self

    def command_port(self, sock):
        """A second serial port (the guest's ttyS1) on a Unix socket that
        QEMU listens on: whoever connects writes the guest's commands.
        Must follow console_file(), whose port is the first."""
        self._console += ['-chardev', f'socket,id=cmd,path={sock},server=on,wait=off',
                          '-serial', 'chardev:cmd']
        return self

    def _accel_argv(self):
        if self.cpus == 1:
            return ['-accel', self.accel]
        accel = 'tcg,thread=multi' if self.accel == 'tcg' else self.accel
        return ['-accel', accel, '-smp', str(self.cpus)]

    def argv(self):
        return ([QEMU, '-M', MACHINE] + self._accel_argv() +
                ['-cpu', 'max', '-m', f'{self.ram_mb}M', '-display', 'none',
                 '-nodefaults', '-no-reboot', '-monitor', 'none', '-nic', 'none'] +
                self._boot + self._devices + self._console)
