#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests: a fresh cluster in a temporary folder, listening
# on 127.0.0.1 only, on a free port, trusting local connections of the role `dx`. Prints the
# shell lines that point the tests at it (eval them):
#
#   eval "$(scripts/postgres/start.sh)"   # sets DX_TEST_POSTGRES_URL and DX_TEST_POSTGRES_DIR
#   ... run the tests ...
#   scripts/postgres/stop.sh "$DX_TEST_POSTGRES_DIR"
#
# scripts/postgres/with-postgres.sh <command> does both around one command.
# Needs Debian's PostgreSQL server (initdb, pg_ctl): `apt-get install -y postgresql`.
# The server refuses to run as root: as root, it runs as the `postgres` user.
set -euo pipefail

bin_dir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  # Debian keeps the server binaries off PATH.
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$found" ]; then
    echo "start.sh: no PostgreSQL server found (initdb); install Debian's postgresql package" >&2
    exit 1
  fi
  echo "$found"
}
BIN=$(bin_dir)

dir=$(mktemp -d "${TMPDIR:-/tmp}/dx-postgres.XXXXXX")
as_server=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_server=(runuser -u postgres --)
fi

# A free port: bind port 0 on loopback and read what the kernel chose.
port=$(node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

"${as_server[@]}" "$BIN/initdb" -D "$dir/data" -A trust -U dx --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
echo "$port" >"$dir/port"
echo "$BIN" >"$dir/bin"
"$(dirname "$0")/server.sh" "$dir" start

echo "export DX_TEST_POSTGRES_URL='postgres://dx@127.0.0.1:$port/postgres'"
echo "export DX_TEST_POSTGRES_DIR='$dir'"
