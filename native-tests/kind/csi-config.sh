#!/usr/bin/env bash
# Reads an ocimount config.toml on stdin and writes it to stdout with any [csi] table (and [csi.*] sub-table)
# it has dropped and a fresh one appended that turns the CSI node plugin on:
#   csi-config.sh SOCKET < config.toml > new.toml
# run.sh uses it on the Kind node's /etc/ocimount/config.toml; KindHarnessTest checks the result with tomllib.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: csi-config.sh SOCKET < config.toml" >&2; exit 2; }
awk -v socket="$1" '
  /^[ \t]*\[/ { skip = ($0 ~ /^[ \t]*\[[ \t]*csi[ \t]*[].]/) }
  !skip { print }
  END { print ""; print "[csi]"; print "socket = \"" socket "\"" }
'
