#!/usr/bin/env bash
# Load test of the DingTalk callback endpoint against a bare POST endpoint in the same host process, on loopback.
#
#   bash bench/load/run.sh [--inbox] [--inbox-postgres] [--no-worker] [--drain] [--dashboard] [--no-aot] [--no-jit] [--no-build] [--duration 10s] [--connections 64] [--threads 2] [--pool N]
#
# Builds bench/LoadHost (JIT) and publishes it with NativeAOT, writes a pool of distinct pre-encrypted callbacks, and for
# each runtime starts the host on 127.0.0.1 (ephemeral port), warms both endpoints up, then runs wrk against /bare and
# /dingtalk/callback (same connections, duration, script and bodies). Prints one table row per endpoint and the
# throughput ratio callback/bare. --inbox adds a run of each runtime with the durable SQLite inbox on
# (UseSqliteInbox, database in a fresh temp folder); --inbox-postgres one with the PostgreSQL inbox (UsePostgreSqlInbox, a fresh
# schema; DINGGEN_POSTGRES, or a throwaway cluster started through scripts/postgres.sh when it is unset). --no-worker runs the inbox
# variants with the inbox worker idle (it claims nothing), which measures the intake alone. --drain measures the
# inbox worker's drain rate instead of wrk runs: LoadHost drain stores 20,000 entries with the worker paused, resumes it and times it
# until all are completed (each store in --inbox/--inbox-postgres, default MaxConcurrency and 16). --dashboard adds a run of each runtime with the operations dashboard's
# delivery observer registered (AddDingDashboard + MapDingDashboard), to compare with the plain run. Installs wrk from Debian's packages when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
duration=10s
warmup=3s
connections=64
threads=2
pool=""
inbox=0
inbox_pg=0
drain=0
no_worker=0
dashboard=0
jit=1
aot=1
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --inbox) inbox=1 ;;
    --inbox-postgres) inbox_pg=1 ;;
    --drain) drain=1 ;;
    --no-worker) no_worker=1 ;;
    --dashboard) dashboard=1 ;;
    --no-aot) aot=0 ;;
    --no-jit) jit=0 ;;
    --no-build) build=0 ;;
    --duration) duration="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --pool) pool="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# With an inbox a repeated event is a duplicate (no row written, no handler run), so the pool must outlast the measured run:
# 600,000 callbacks (300,000 for the measured run) unless --pool says otherwise.
if [[ -z "$pool" ]]; then
  pool=100000
  [[ $inbox -eq 1 || $inbox_pg -eq 1 ]] && pool=600000
fi

if ! command -v wrk >/dev/null 2>&1; then
  apt-get update && apt-get install -y wrk
fi

work="$(mktemp -d /tmp/dinggen-load.XXXXXX)"
host_pid=""
cleanup() {
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  [[ -n "${pg_started:-}" ]] && dinggen_pg_stop
  return 0
}
trap cleanup EXIT

project="$root/bench/LoadHost/LoadHost.csproj"
jit_dll="$root/bench/LoadHost/bin/Release/net10.0/LoadHost.dll"
aot_dir="$root/bench/LoadHost/bin/aot"
if [[ $build -eq 1 ]]; then
  dotnet build "$project" -c Release --nologo -v quiet
fi
if [[ $aot -eq 1 && $build -eq 1 ]]; then
  dotnet publish "$project" -c Release -r linux-x64 -o "$aot_dir" --nologo -v quiet
fi

pg_started=""
if [[ $inbox_pg -eq 1 && -z "${DINGGEN_POSTGRES:-}" ]]; then
  # shellcheck source=scripts/postgres.sh
  source "$root/scripts/postgres.sh"
  dinggen_pg_start
  pg_started=1
fi
export DINGGEN_POSTGRES="${DINGGEN_POSTGRES:-}"

if [[ $drain -eq 1 ]]; then
  stores=()
  [[ $inbox -eq 1 ]] && stores+=("sqlite")
  [[ $inbox_pg -eq 1 ]] && stores+=("postgres")
  [[ ${#stores[@]} -eq 0 ]] && stores=("sqlite")
  echo
  echo "drain of 20000 entries, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
  for store in "${stores[@]}"; do
    for concurrency in 4 16; do
      dotnet "$jit_dll" drain "$store" 20000 --concurrency "$concurrency"
    done
  done
  exit 0
fi

callbacks="$work/callbacks.txt"
dotnet "$jit_dll" callbacks "$pool" "$callbacks"

start_host() { # runtime, inbox flag
  local address_file="$work/address"
  rm -f "$address_file"
  local args=(--address-file "$address_file")
  [[ "$2" == "inbox" ]] && args+=(--inbox)
  [[ "$2" == "inbox-postgres" ]] && args+=(--inbox-postgres)
  [[ "$2" == "dashboard" ]] && args+=(--dashboard)
  [[ "$2" == inbox* && $no_worker -eq 1 ]] && args+=(--no-worker)
  if [[ "$1" == "aot" ]]; then
    "$aot_dir/LoadHost" "${args[@]}" &
  else
    DOTNET_TieredPGO=1 dotnet "$jit_dll" "${args[@]}" &
  fi
  host_pid=$!
  for _ in $(seq 1 300); do
    [[ -s "$address_file" ]] && break
    sleep 0.1
  done
  base_url="$(cat "$address_file")"
  curl -sf "$base_url/ready" >/dev/null
}

stop_host() {
  kill "$host_pid" && wait "$host_pid" 2>/dev/null || true
  host_pid=""
}

run_wrk() { # path, duration, pool offset -> RESULT line
  DINGGEN_CALLBACKS="$callbacks" DINGGEN_TARGET_PATH="$1" \
    wrk -t "$threads" -c "$connections" -d "$2" --timeout 10s -s "$root/bench/load/post.lua" "$base_url/dingtalk/callback" -- "$threads" "$3" \
    | grep '^RESULT'
}

# Waits (at most 120 s) until the inbox worker has done every stored entry.
wait_drained() {
  local backlog=""
  for _ in $(seq 1 480); do
    backlog="$(curl -sf "$base_url/backlog")"
    [[ "$backlog" == "0" ]] && return 0
    sleep 0.25
  done
  echo "  (the worker did not drain the warm-up's $backlog entries within 120 s; measuring anyway)" >&2
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

# CPU time (clock ticks) of the host process, of the local PostgreSQL server's processes, and of the whole machine (busy, idle),
# read before and after a measured run: what one request cost the machine, which the ratio alone does not show.
clk_tck="$(getconf CLK_TCK)"
cpu_sample() {
  local host pg=0 pid
  host="$(awk '{print $14 + $15}' "/proc/$host_pid/stat")"
  for pid in $(pgrep -x postgres || true); do
    pg=$((pg + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$host $pg $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat)"
}
cpu_per_request() { # before, after, requests -> "host X µs, postgres Y µs, machine Z µs (N % busy)"
  read -r h0 p0 b0 i0 <<<"$1"
  read -r h1 p1 b1 i1 <<<"$2"
  awk -v h=$((h1 - h0)) -v p=$((p1 - p0)) -v b=$((b1 - b0)) -v i=$((i1 - i0)) -v n="$3" -v t="$clk_tck" \
    'BEGIN { f = 1e6 / t / n; printf "host %.0f µs, postgres %.0f µs, machine %.0f µs (%.0f %% busy)", h * f, p * f, b * f, 100 * b / (b + i) }'
}

echo
echo "wrk -t $threads -c $connections -d $duration, pool of $pool distinct callbacks, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| runtime | inbox | endpoint | requests/s | p50 ms | p99 ms | non-200 | callback/bare |\n'
printf '|---|---|---|---|---|---|---|---|\n'

variants=("off")
[[ $inbox -eq 1 ]] && variants+=("inbox")
[[ $inbox_pg -eq 1 ]] && variants+=("inbox-postgres")
[[ $dashboard -eq 1 ]] && variants+=("dashboard")
runtimes=()
[[ $jit -eq 1 ]] && runtimes+=("jit")
[[ $aot -eq 1 ]] && runtimes+=("aot")
for runtime in "${runtimes[@]}"; do
  for variant in "${variants[@]}"; do
    start_host "$runtime" "$variant"
    # The warm-up takes events from the start of the pool, the measured run from its middle: no event is sent twice
    # unless the pool wraps (reported below), which matters with the inbox (it de-duplicates events). Each measured run
    # starts with the inbox worker idle: after the callbacks' warm-up the worker is still draining what it stored, and a
    # run measured then shares the CPU with that (bare measured right after it came out lower, and the ratio higher).
    run_wrk /bare "$warmup" 0 >/dev/null
    before="$(cpu_sample)"
    bare="$(run_wrk /bare "$duration" $((pool / 2)))"
    middle_bare="$(cpu_sample)"
    run_wrk "" "$warmup" 0 >/dev/null
    [[ $variant == inbox* && $no_worker -eq 0 ]] && wait_drained
    middle="$(cpu_sample)"
    callback="$(run_wrk "" "$duration" $((pool / 2)))"
    after="$(cpu_sample)"
    handled="$(curl -sf "$base_url/handled")"
    backlog="$(curl -sf "$base_url/backlog")"
    stop_host
    ratio="$(awk -v c="$(field rps "$callback")" -v b="$(field rps "$bare")" 'BEGIN { printf "%.2f", c / b }')"
    label=$([[ $variant == inbox ]] && echo "on (SQLite)" || echo off)
    [[ $variant == inbox-postgres ]] && label="on (PostgreSQL)"
    [[ $variant == inbox* && $no_worker -eq 1 ]] && label="$label, worker idle"
    [[ $variant == dashboard ]] && label="off, dashboard"
    printf '| %s | %s | bare | %s | %s | %s | %s | |\n' "$runtime" "$label" "$(field rps "$bare")" "$(field p50_ms "$bare")" "$(field p99_ms "$bare")" "$(field non200 "$bare")"
    printf '| %s | %s | callback | %s | %s | %s | %s | **%s** |\n' "$runtime" "$label" "$(field rps "$callback")" "$(field p50_ms "$callback")" "$(field p99_ms "$callback")" "$(field non200 "$callback")" "$ratio"
    echo "  ($runtime/$label: handler ran $handled times; inbox backlog when the run ended: $backlog; pool wrapped during the callback run: $(field pool_wrapped "$callback"))" >&2
    echo "  ($runtime/$label: CPU per bare request: $(cpu_per_request "$before" "$middle_bare" "$(field requests "$bare")"); per callback: $(cpu_per_request "$middle" "$after" "$(field requests "$callback")"))" >&2
  done
done
