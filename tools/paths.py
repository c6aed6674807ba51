"""Where the build puts what the tools run: the monitor images (production
and test), the test ISO, the host programs and the storage disk.

`make` builds the production images build/<role>.elf (what the image config
says and nothing more); `make test` builds the test images
build/test/<role>.elf (in-kernel tests, test backends, self-tests) and
build/test/tessera.iso, a GRUB menu of the test images.
"""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / 'build'
TEST_BUILD = BUILD / 'test'
RIG_RUNS = BUILD / 'rig'                 # build/rig/<cluster>/: a run's files

HOST = BUILD / 'host'
FABRIC_BIN = HOST / 'fabric'
ECHO_BIN = HOST / 'fabric-echo'
RPC_CLIENT_BIN = HOST / 'rpc-client'
MGR_BIN = HOST / 'tessera-mgr'
CLI_BIN = HOST / 'tessera'
HOST_TESTS = HOST / 'test'
HOST_SAN_TESTS = BUILD / 'host-san' / 'test'  # the same, with ASan and UBSan
DEFAULT_DISK = BUILD / 'disk' / 'rootfs.img'   # storage nodes' default

MONITORS = ('processor', 'memory', 'storage')

# The Linux guest (cluster role linux): Debian's kernel, installed by make
# deps, and the initramfs the build makes (tests/linux/build.mk).
LINUX_BUILD = BUILD / 'linux'
LINUX_INITRAMFS = LINUX_BUILD / 'initramfs.cpio'


def _version_key(v):
    return [int(x) if x.isdigit() else x for x in re.split(r'(\d+)', v)]


def linux_kernel():
    """(bzImage path, version) of the newest kernel in /boot whose modules
    are installed; LookupError if there is none (make deps installs
    linux-image-amd64)."""
    versions = [p.name[len('vmlinuz-'):] for p in Path('/boot').glob('vmlinuz-*')]
    versions = [v for v in versions if Path('/lib/modules', v).is_dir()]
    if not versions:
        raise LookupError('no Linux kernel with modules in /boot and /lib/modules '
                          '(make deps installs linux-image-amd64)')
    v = max(versions, key=_version_key)
    return Path('/boot') / f'vmlinuz-{v}', v


def monitor_image(role, test=False):
    """The ELF image of a monitor: build/<role>.elf, or the test image.
    TESSERA_IMAGES=test in the environment gives every monitor its test
    image (lock ranks checked), e.g. to run the scenarios that way."""
    if test or os.environ.get('TESSERA_IMAGES') == 'test':
        return TEST_BUILD / f'{role}.elf'
    return BUILD / f'{role}.elf'


def test_iso():
    """The ISO whose GRUB menu boots the test images."""
    return TEST_BUILD / 'tessera.iso'
