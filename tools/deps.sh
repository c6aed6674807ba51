#!/bin/sh
# Installs the Debian packages the build and the tests need, if any is
# missing (apt-get; needs root). Quiet when everything is there.
PKGS="gcc make binutils python3 qemu-system-x86 qemu-utils grub-pc-bin grub-common
xorriso mtools e2fsprogs musl-tools busybox-static tshark libibverbs-dev
linux-image-amd64 kmod libsqlite3-dev grub-efi-amd64-bin ovmf clang libclang-rt-14-dev
bash-static"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; run: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || exit 1
apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
echo "deps: done"
