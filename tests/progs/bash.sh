# A bash script of the kind issue 10 names, run by Debian's bash-static in
# a vNode and on Linux (scenario run-bash): the outputs must be the same.
# The vNode's /bin has only busybox, so the external commands are busybox
# applets here and there alike.
for applet in seq sort head tr wc cat; do
	eval "$applet() { /bin/busybox $applet \"\$@\"; }"
done
greet() {
	local who=$1
	echo "hello, $who"
}
count=0
for w in one two three; do
	greet "$w"
	((count++))
done
echo "count $count"
i=0
while [[ $i -lt 3 ]]; do
	i=$((i + 1))
done
echo "while ended at $i"
(count=99; echo "in a subshell: count $count")
echo "outside: count $count"
words=$(printf '%s\n' c a b | sort | tr '\n' ' ')
echo "sorted: $words"
seq 1 200 | sort -rn | head -3 | tr '\n' ' '
echo
cat <<END | wc -l
line one
line two
line $count
END
echo "to nowhere" >/dev/null
echo "null status $?"
arr=(zero one two three)
echo "array: ${#arr[@]} items, last ${arr[-1]}, slice ${arr[@]:1:2}"
s="hello world"
echo "upper ${s^^}, replaced ${s/world/there}, length ${#s}"
declare -A color=([apple]=red [lime]=green)
echo "apple is ${color[apple]}, keys ${#color[@]}"
trap 'echo "caught INT"' INT
kill -INT $$
echo "after trap"
( exit 7 )
echo "subshell status $?"
false | true
echo "pipeline status $? ${PIPESTATUS[*]}"
set -o pipefail
false | true
echo "pipefail status $?"
set +o pipefail
case "$count" in
3) echo "case three" ;;
*) echo "case other" ;;
esac
printf -v padded '%05d' 42
echo "padded $padded"
n=0
until ((n >= 4)); do ((n += 2)); done
echo "until ended at $n"
out=$( { echo inner; echo err >&2; } 2>&1 )
echo "grouped: ${out//$'\n'/,}"
