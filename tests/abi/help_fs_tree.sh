#!/bin/busybox sh
# fs_tree: $1 a scratch directory to make and remove.
B=/bin/busybox
W=$1
list() {
	$B find "$W" | $B sed "s|^$W|W|" | $B sort
}
$B rm -rf "$W" && $B mkdir "$W" || exit 1
$B mkdir -p "$W/a/b/c" "$W/d" || exit 1
echo x > "$W/a/b/c/x"
echo y > "$W/a/y"
echo z > "$W/d/z"
list
$B mv "$W/a/b" "$W/d/b"; echo "mv dir: $?"
$B mv "$W/a/y" "$W/d/z"; echo "mv over file: $?"
$B cat "$W/d/z"
$B mv "$W/d" "$W/e"; echo "mv top: $?"
$B ln "$W/e/z" "$W/e/hard"; echo "ln: $?"
$B ln -s z "$W/e/soft"; echo "ln -s: $?"
$B stat -c '%h %n' "$W/e/z" | $B sed "s|$W|W|"
$B rm "$W/e/z"; echo "rm: $?"
$B cat "$W/e/hard"
$B readlink "$W/e/soft"
$B cat "$W/e/soft" 2>/dev/null; echo "cat dangling: $?"
$B stat -c '%h %n' "$W/e/hard" "$W/e" "$W/e/b" | $B sed "s|$W|W|"
$B rmdir "$W/e/b" 2>/dev/null; echo "rmdir non-empty: $?"
$B rmdir "$W/a"; echo "rmdir empty: $?"
$B mv "$W/e/b/c" "$W/e/b/c2"; echo "mv leaf: $?"
list
$B rm -r "$W/e"; echo "rm -r: $?"
echo "left: $($B ls "$W")"
$B rmdir "$W" || exit 1
echo done
