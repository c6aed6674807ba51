#!/bin/busybox sh
# fs_gzip: $1 a scratch directory to make and remove, $2 the program that
# writes the data.
B=/bin/busybox
W=$1
$B rm -rf "$W" && $B mkdir "$W" || exit 1
"$2" gen 16777216 > "$W/big" || exit 1
echo "bytes: $($B wc -c < "$W/big")"
$B sha256sum < "$W/big"
$B gzip "$W/big"; echo "gzip: $?"
echo "after gzip: $($B ls "$W")"
$B test "$($B wc -c < "$W/big.gz")" -lt 8388608; echo "smaller than half: $?"
$B gunzip "$W/big.gz"; echo "gunzip: $?"
echo "after gunzip: $($B ls "$W")"
echo "bytes: $($B wc -c < "$W/big")"
$B sha256sum < "$W/big"
$B rm -r "$W" || exit 1
echo done
