#!/usr/bin/env bash
# Stops the server that start.sh started in <dir> and removes the folder.
set -uo pipefail
dir=${1:?usage: stop.sh <the DX_TEST_POSTGRES_DIR that start.sh printed>}
[ -d "$dir/data" ] || exit 0
"$(dirname "$0")/server.sh" "$dir" stop 2>/dev/null || true
rm -rf "$dir"
