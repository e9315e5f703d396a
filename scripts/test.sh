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
# Playwright's own download). Install it when missing; without it those tests fail and say why. The CJK font makes the Chinese
# text of the screenshot they take (docs/images/dashboard.png) legible instead of boxes.
dinggen_missing_packages=()
if [ -z "${DINGGEN_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  dinggen_missing_packages+=(chromium)
fi
if ! dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "ok installed"; then
  dinggen_missing_packages+=(fonts-wqy-microhei)
fi
if [ "${#dinggen_missing_packages[@]}" -gt 0 ]; then
  echo "installing Debian's ${dinggen_missing_packages[*]} for the dashboard's browser tests" >&2
  (export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y "${dinggen_missing_packages[@]}") >&2 \
    || echo "could not install ${dinggen_missing_packages[*]}: the dashboard's browser tests may fail or take an illegible screenshot" >&2
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
