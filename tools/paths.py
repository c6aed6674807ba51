"""Where the build puts what the tools run: the monitor images (production
and test), the test ISO, the host programs and the storage disk.

`make` builds the production images build/<role>.elf (what the image config
says and nothing more); `make test` builds the test images
build/test/<role>.elf (in-kernel tests, test backends, self-tests) and
build/test/tessera.iso, a GRUB menu of the test images.
"""

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
DEFAULT_DISK = BUILD / 'disk' / 'rootfs.img'   # storage nodes' default

MONITORS = ('processor', 'memory', 'storage')


def _test_build(name):
    path = TEST_BUILD / name
    # Transition: until `make test` builds build/test/, use build/<name>.
    return path if path.exists() else BUILD / name


def monitor_image(role, test=False):
    """The ELF image of a monitor: build/<role>.elf, or the test image."""
    name = f'{role}.elf'
    return _test_build(name) if test else BUILD / name


def test_iso():
    """The ISO whose GRUB menu boots the test images."""
    return _test_build('tessera.iso')
