#!/usr/bin/env bash
# Stops or starts again the server of a folder made by start.sh (the tests stop it mid-run):
#   scripts/postgres/server.sh <dir> stop|start
set -euo pipefail
dir=${1:?usage: server.sh <dir> stop|start}
action=${2:?usage: server.sh <dir> stop|start}
port=$(cat "$dir/port")
bin=$(cat "$dir/bin")
as_server=()
[ "$(id -u)" = 0 ] && as_server=(runuser -u postgres --)
case "$action" in
  start)
    "${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || {
      cat "$dir/server.log" >&2
      exit 1
    }
    ;;
  stop) "${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  *) echo "server.sh: unknown action $action" >&2; exit 2 ;;
esac
