"""The disks the rig gives its VMs (a node's `disk` and `disk_mode` keys in a
cluster file, see tools/clusterfile.py):

    disk_mode = copy       (default) the cluster gets its own writable copy of
                           the image, made when the cluster starts, in the run
                           directory (build/rig/<run>/<node>.disk.img); a
                           node's restart keeps it, so what the node wrote is
                           there when it comes back; the image itself is never
                           written (the test suite's disk stays the build's)
    disk_mode = keep       the image itself, writable: what is written stays
                           across cluster runs
    disk_mode = readonly   the image itself, read-only

The user's disk (`make run`, tools/run.py): build/disk/user.img, writable and
kept across runs. It is made from the build's test disk on first use, and
made again from a newer test disk only while nobody has written to it (its
size and modification time still those recorded in user.img.stamp when it
was copied), so the user's files are never thrown away.

Copies are sparse: blocks of zeros stay holes.
"""

import os
import subprocess
from pathlib import Path

import paths

USER_DISK = paths.BUILD / 'disk' / 'user.img'


def sparse_copy(src, dst):
    """Copy src to dst, blocks of zeros left as holes (cp --sparse)."""
    tmp = Path(str(dst) + '.tmp')
    subprocess.run(['cp', '--sparse=always', str(src), str(tmp)], check=True)
    os.replace(tmp, dst)


def _stamp_of(path):
    st = os.stat(path)
    return f'{st.st_size} {st.st_mtime_ns}'


def user_disk(base=paths.DEFAULT_DISK, disk=USER_DISK):
    """The user's disk, made from base if it is missing or nobody has
    written to it since it was copied from an older base."""
    stamp = Path(str(disk) + '.stamp')
    untouched = disk.exists() and stamp.exists() and \
        stamp.read_text().split('\n')[0] == _stamp_of(disk)
    newer = untouched and os.stat(base).st_mtime_ns > os.stat(disk).st_mtime_ns
    if not disk.exists() or newer:
        sparse_copy(base, disk)
        stamp.write_text(_stamp_of(disk) + '\n')
    return disk


def prepare(node, run_dir, user=False):
    """(path, read_only) of the disk a VM node gets, or None: the copy made
    here for disk_mode copy, the user's disk for a storage node with the
    default disk when user is set."""
    src = node.disk_path
    if src is None:
        return None
    if user and node.role == 'storage' and not node.disk:
        return user_disk(), False
    if node.disk_mode == 'readonly':
        return src, True
    if node.disk_mode == 'keep':
        return src, False
    dst = Path(run_dir) / f'{node.name}.disk.img'
    sparse_copy(src, dst)
    return dst, False
