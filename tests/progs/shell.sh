# A shell script of the kind issue 10 names, run by busybox sh in a vNode
# and on Linux (scenario run-shell): the outputs must be the same.
greet() {
	echo "hello, $1"
}
count=0
for w in one two three; do
	greet "$w"
	count=$((count + 1))
done
echo "count $count"
i=0
while [ $i -lt 3 ]; do
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
trap 'echo "caught INT"' INT
kill -INT $$
echo "after trap"
( exit 7 )
echo "subshell status $?"
false | true
echo "pipeline status $?"
case "$count" in
3) echo "case three" ;;
*) echo "case other" ;;
esac
