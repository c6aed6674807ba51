#!/bin/sh
# House rules that a machine can check (make check):
#  - the one-way order of folders on every #include (tools/check_layers.py:
#    core -> net -> cluster -> linux-abi -> roles -> host programs; no arch
#    headers in portable code; roles never include each other);
#  - no conditional compilation in .c files (include guards live in .h).
# Prints each violation as file:line and exits 1 if there was any.
cd "$(dirname "$0")/.." || exit 2
status=0
python3 tools/check_layers.py || status=1
bad=$(git ls-files '*.c' | xargs grep -nE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif)\b' 2>/dev/null)
if [ -n "$bad" ]; then
	echo "conditional compilation in .c files:"
	echo "$bad"
	status=1
fi
exit $status
