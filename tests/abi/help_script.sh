#!/bin/busybox sh
echo "script: $# arguments: $*"
exit 6
