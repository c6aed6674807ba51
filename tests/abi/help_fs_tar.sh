#!/bin/busybox sh
# fs_tar: $1 a scratch directory to make and remove.
B=/bin/busybox
W=$1
$B rm -rf "$W" && $B mkdir -p "$W/src/tree/a/b" "$W/src/tree/c" "$W/out" || exit 1
T=$W/src/tree
echo one > "$T/a/one"
printf 'two\n2\n' > "$T/a/b/two"
$B seq 1 8000 > "$T/c/seq"
: > "$T/empty"
$B ln -s ../a/one "$T/c/link"
$B chmod 600 "$T/a/one"
$B chmod 750 "$T/a/b"
cd "$W/src" && $B tar -cf "$W/t.tar" tree || exit 1
echo "members:"
$B tar -tf "$W/t.tar" | $B sort
cd "$W/out" && $B tar -xf "$W/t.tar" || exit 1
cd "$W"
$B diff -r src/tree out/tree && echo "diff -r: same"
$B find out | $B sort | while read -r f; do
	$B stat -c '%A %n' "$f"
done
$B readlink out/tree/c/link
$B wc -c < out/tree/c/seq
cd /
$B rm -r "$W" || exit 1
echo done
