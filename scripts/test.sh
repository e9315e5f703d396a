#!/usr/bin/env bash
# Runs every test project of DingGen.sln and prints one counted line: "tests: N passed, M failed".
# Usage: bash scripts/test.sh [extra dotnet test arguments]
# Starts a throwaway PostgreSQL cluster for the PostgreSQL inbox tests (scripts/postgres.sh) unless DINGGEN_POSTGRES is set.
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# The dashboard's browser tests (tests/DingGen.Dashboard.Tests) drive Debian's Chromium headless through Playwright (never
# Playwright's own download). Install it when missing; without it those tests fail and say why.
if [ -z "${DINGGEN_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium package for the dashboard's browser tests" >&2
  (export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y chromium) >&2 || echo "could not install chromium: the dashboard's browser tests will fail" >&2
fi

# The PostgreSQL inbox tests need a real server: a throwaway cluster unless DINGGEN_POSTGRES names one.
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
trap dinggen_pg_stop EXIT
if ! dinggen_pg_start; then
  echo "could not start PostgreSQL: the PostgreSQL tests will fail (set DINGGEN_POSTGRES to a server's connection string)" >&2
fi

dotnet test DingGen.sln -c Release \
  --blame-hang-timeout 10m \
  --logger "trx" \
  --logger "console;verbosity=minimal" \
  --results-directory "$results" \
  "$@"
status=$?

passed=0
failed=0
found=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(echo "$counters" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$found" -eq 0 ]; then
  echo "no test results were written (build failure?)" >&2
  status=1
fi

echo "tests: ${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ]; then
  status=1
fi
exit "$status"
