#!/bin/sh
# House rules that a machine can check:
#  - portable code (kernel/, net/, include/) never includes a role folder's
#    headers (processor/, memory/, storage/) nor an arch folder's;
#  - no role or platform #ifdef in .c files (include guards only live in .h).
# Prints each violation as file:line and exits 1 if there was any.
cd "$(dirname "$0")/.." || exit 2
status=0
bad=$(grep -rnE '#include *"(processor|memory|storage|arch)/' kernel net include 2>/dev/null)
if [ -n "$bad" ]; then
	echo "portable code includes role or arch headers:"
	echo "$bad"
	status=1
fi
bad=$(git ls-files '*.c' | xargs grep -nE '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif)\b' 2>/dev/null)
if [ -n "$bad" ]; then
	echo "conditional compilation in .c files:"
	echo "$bad"
	status=1
fi
exit $status
