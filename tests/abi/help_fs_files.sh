#!/bin/busybox sh
# fs_files: $1 a scratch directory to make and remove.
B=/bin/busybox
W=$1
$B rm -rf "$W" && $B mkdir "$W" || exit 1
i=0
while [ $i -lt 200 ]; do
	echo "file $i: $((i * i))" > "$W/f$i" || exit 1
	i=$((i + 1))
done
echo "entries: $($B ls "$W" | $B wc -l)"
$B cat "$W"/f* > "$W/all" || exit 1
echo "bytes: $($B wc -c < "$W/all")"
$B sha256sum < "$W/all"
$B head -n 2 "$W/all"
$B tail -n 1 "$W/all"
$B cat "$W/f0" "$W/f199"
$B rm "$W"/f* || exit 1
echo "left: $($B ls "$W")"
$B rm -r "$W" || exit 1
echo done
