#!/usr/bin/env bash
# Runs one command with a throwaway PostgreSQL (see start.sh), stopped whatever happens:
#   scripts/postgres/with-postgres.sh pnpm vitest run --project downlink-helpers test/postgres-journal.test.ts
set -euo pipefail
here=$(dirname "$0")
eval "$("$here/start.sh")"
trap '"$here/stop.sh" "$DX_TEST_POSTGRES_DIR"' EXIT
"$@"
