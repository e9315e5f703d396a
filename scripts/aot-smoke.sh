#!/usr/bin/env bash
# Publishes samples/ApprovalHost with NativeAOT (failing on any IL2xxx/IL3xxx warning), starts the native binary on a
# loopback port with keys from environment variables, sends it real encrypted callbacks built with the dinggen CLI
# (check_url, a handled event, an unhandled event type, a bad signature), checks the statuses and that the replies
# decrypt to "success", and stops it; then runs the binary's own `--simulate` (registration against a fake DingTalk,
# deliveries, failed-event replay) and `--simulate-stream` (stream mode against a fake gateway). The core package must not
# need ASP.NET Core: DingGen.dll may reference no Microsoft.AspNetCore.* assembly, and samples/StreamWorker (a generic-host
# worker) publishes natively with zero IL warnings, no Microsoft.AspNetCore.* file in its output, and passes the stream
# simulation (samples/StreamWorker.Simulation) as a native binary. `--simulate --dashboard` checks that the native binary serves
# the operations dashboard's page and status JSON. samples/HelpdeskBot (chat robot and interactive cards) publishes natively with
# zero IL warnings and its binary's `--simulate` plays a robot conversation over stream mode and over signed HTTP posts.
# Usage: bash scripts/aot-smoke.sh (after `dotnet build -c Release`).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="artifacts/aot/ApprovalHost"
log="artifacts/aot/publish.log"
mkdir -p artifacts/aot

echo "the core package without ASP.NET Core: assembly references of src/Runtime/bin/Release/net10.0/DingGen.dll"
if ! dotnet scripts/AssemblyReferences/bin/Release/net10.0/AssemblyReferences.dll src/Runtime/bin/Release/net10.0/DingGen.dll \
  --forbid Microsoft.AspNetCore. > artifacts/aot/dinggen-references.txt; then
  cat artifacts/aot/dinggen-references.txt >&2
  echo "DingGen.dll references ASP.NET Core (or could not be read)" >&2
  exit 1
fi
echo "  $(wc -l < artifacts/aot/dinggen-references.txt) references, none Microsoft.AspNetCore.*"

echo "publishing samples/ApprovalHost with NativeAOT"
start_publish=$(date +%s)
if ! timeout 1500 dotnet publish samples/ApprovalHost -c Release -r linux-x64 -p:PublishAot=true -o "$out" > "$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "NativeAOT publish failed" >&2
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" "$log" >&2; then
  echo "NativeAOT publish produced trim/AOT warnings" >&2
  exit 1
fi
echo "published in $(( $(date +%s) - start_publish )) s, binary $(du -k "$out/ApprovalHost" | cut -f1) KiB, zero IL2xxx/IL3xxx warnings"

cli="src/Cli/bin/Release/net10.0/DingGen.Cli.dll"
dinggen() { dotnet "$cli" "$@"; }

keys="$(dinggen keygen)"
token="$(sed -n 's/^Token=//p' <<<"$keys")"
aes_key="$(sed -n 's/^AesKey=//p' <<<"$keys")"
app_key="dingaotsmoke0000001"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# post <expected status> <payload json> [tamper]: prints the reply body on success.
failures=0
post() {
  local expected="$1" payload="$2" tamper="${3:-}"
  local request signature timestamp nonce encrypt status body
  request="$(dinggen encrypt --token "$token" --aes-key "$aes_key" --app-key "$app_key" --plaintext "$payload")"
  signature="$(json_field msg_signature <<<"$request")"
  timestamp="$(json_field timeStamp <<<"$request")"
  nonce="$(json_field nonce <<<"$request")"
  encrypt="$(json_field encrypt <<<"$request")"
  if [ -n "$tamper" ]; then
    signature="0000000000${signature:10}"
  fi
  body="$(mktemp)"
  status="$(curl -s -o "$body" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
    --data-binary "{\"encrypt\":\"$encrypt\"}" \
    "$base/dingtalk/callback?signature=$signature&timestamp=$timestamp&nonce=$nonce")"
  local verdict="ok"
  if [ "$status" != "$expected" ]; then
    verdict="FAIL (status $status, expected $expected)"
  elif [ "$expected" = "200" ]; then
    local reply
    reply="$(dinggen decrypt --token "$token" --aes-key "$aes_key" --app-key "$app_key" \
      --timestamp "$(json_field timeStamp < "$body")" --nonce "$(json_field nonce < "$body")" \
      --signature "$(json_field msg_signature < "$body")" --encrypt "$(json_field encrypt < "$body")" 2>&1)" || true
    [ "$reply" = "success" ] || verdict="FAIL (reply decrypts to '$reply')"
  fi
  rm -f "$body"
  echo "  $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["EventType"])' "$payload")${tamper:+ (bad signature)} -> $status $verdict"
  [ "$verdict" = "ok" ] || failures=$((failures + 1))
}

# Time from process start to the first answered callback: the check_url request is built before the host starts.
first="$(dinggen encrypt --token "$token" --aes-key "$aes_key" --app-key "$app_key" --plaintext '{"EventType":"check_url"}')"
first_url="$base/dingtalk/callback?signature=$(json_field msg_signature <<<"$first")&timestamp=$(json_field timeStamp <<<"$first")&nonce=$(json_field nonce <<<"$first")"
first_body="{\"encrypt\":\"$(json_field encrypt <<<"$first")\"}"

# scripts/first-callback.py starts the binary and polls every millisecond: the figure is process start -> first 200 reply.
# The host runs in its publish folder, as deployed: its content root is the working directory, and the configuration
# file watcher of a content root with many subfolders (this repository: ~85 ms of inotify set-up) is not start-up cost.
if ! startup="$(cd "$out" && DingGen__Token="$token" DingGen__AesKey="$aes_key" DingGen__AppKey="$app_key" DingGen__AppSecret="aot-smoke-app-secret" \
  ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning \
  python3 "$repo/scripts/first-callback.py" "$port" "${first_url#"$base"}" "$first_body" "$repo/artifacts/aot/host.log" ./ApprovalHost)"; then
  echo "the native host did not answer within 10 s" >&2
  cat artifacts/aot/host.log >&2
  exit 1
fi
first_answer_ms="$(sed -n 1p <<<"$startup")"
host_pid="$(sed -n 2p <<<"$startup")"
stop_host() { kill "$host_pid" 2>/dev/null || true; for _ in $(seq 1 100); do kill -0 "$host_pid" 2>/dev/null || return 0; sleep 0.05; done; }
trap stop_host EXIT

echo "sending encrypted callbacks to the native binary at $base"
post 200 '{"EventType":"check_url"}'
post 200 '{"EventType":"bpms_instance_change","processInstanceId":"aot-1","type":"start","title":"AOT smoke","staffId":"u1"}'
post 200 '{"EventType":"calendar_event_change","eventId":"aot-unhandled"}'
post 401 '{"EventType":"user_add_org","UserId":["forged"]}' tamper
echo "start to first answered callback: ${first_answer_ms} ms"

# Memory after 10,000 callbacks: one keep-alive connection posting a signed, handled event (no replay guard is on).
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$host_pid/status")
load="$(dinggen encrypt --token "$token" --aes-key "$aes_key" --app-key "$app_key" --plaintext '{"EventType":"bpms_task_change","processInstanceId":"aot-load","type":"start","taskId":1}')"
LOAD_JSON="$load" python3 - "$port" <<'PY'
import http.client, json, os, sys
reply = json.loads(os.environ["LOAD_JSON"])
path = "/dingtalk/callback?signature=%s&timestamp=%s&nonce=%s" % (reply["msg_signature"], reply["timeStamp"], reply["nonce"])
body = json.dumps({"encrypt": reply["encrypt"]})
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
bad = 0
for _ in range(10000):
    conn.request("POST", path, body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    bad += response.status != 200
if bad:
    sys.exit(f"{bad} of 10000 load callbacks were not answered 200")
PY
rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$host_pid/status")
echo "resident memory: ${rss_before} KiB after start, ${rss_after} KiB after 10,000 callbacks (goal: at most 40 MB = 40960 KiB)"

if ! kill -0 "$host_pid" 2>/dev/null; then
  echo "the native host died" >&2
  cat artifacts/aot/host.log >&2
  exit 1
fi
if [ "$failures" -ne 0 ]; then
  cat artifacts/aot/host.log >&2
  echo "AOT smoke test: $failures callback(s) not answered as DingTalk expects" >&2
  exit 1
fi
stop_host

# The whole sample story on the native binary, loopback only: registration synced against a fake DingTalk (real check_url
# handshake), the delivery script, failed-event replay; then stream mode against a fake Stream gateway.
for mode in --simulate --simulate-stream; do
  echo "native binary: ApprovalHost $mode"
  if ! (cd "$out" && timeout 180 ./ApprovalHost "$mode" > "../simulate$mode.log" 2>&1); then
    cat "artifacts/aot/simulate$mode.log" >&2
    echo "the native binary's $mode run did not end as DingTalk expects" >&2
    exit 1
  fi
  tail -n 1 "artifacts/aot/simulate$mode.log"
done

# The operations dashboard on the native binary: `--simulate --dashboard` keeps the host running after the simulation and
# prints the dashboard's URL; the page and the status JSON must be served (source-generated JSON, no reflection).
echo "native binary: ApprovalHost --simulate --dashboard"
dashboard_log="artifacts/aot/dashboard.log"
(cd "$out" && exec ./ApprovalHost --simulate --dashboard) > "$dashboard_log" 2>&1 &
dashboard_pid=$!
stop_dashboard() { kill "$dashboard_pid" 2>/dev/null || true; for _ in $(seq 1 100); do kill -0 "$dashboard_pid" 2>/dev/null || return 0; sleep 0.05; done; }
trap stop_dashboard EXIT
dashboard_url=""
for _ in $(seq 1 1200); do
  dashboard_url="$(sed -n 's/^Dashboard: \(http[^ ]*\) .*/\1/p' "$dashboard_log" | head -n 1)"
  [ -n "$dashboard_url" ] || ! kill -0 "$dashboard_pid" 2>/dev/null || { sleep 0.1; continue; }
  break
done
if [ -z "$dashboard_url" ]; then
  cat "$dashboard_log" >&2
  echo "the native binary did not print the dashboard's URL within 120 s" >&2
  exit 1
fi
page="$(curl -s --max-time 10 "$dashboard_url")"
status_json="$(curl -s --max-time 10 "$dashboard_url/api/status")"
if ! grep -q '<title>DingGen dashboard</title>' <<<"$page" || ! grep -q 'section class="app"' <<<"$page"; then
  head -c 2000 <<<"$page" >&2
  echo "the native binary did not serve the dashboard page" >&2
  exit 1
fi
if ! python3 -c '
import json, sys
status = json.load(sys.stdin)
app = status["apps"][0]
assert "bpms_instance_change" in app["handledEventTypes"], app["handledEventTypes"]
assert len(status["lastHour"]) == 60
assert len(app["recentDeliveries"]) > 0, "no delivery of the simulation in the status"
print("  status JSON: %d app(s), %d recent deliveries of the default app, registration %s" % (len(status["apps"]), len(app["recentDeliveries"]), app["registration"]["state"]))
' <<<"$status_json"; then
  head -c 2000 <<<"$status_json" >&2
  echo "the native binary did not serve the dashboard's status JSON" >&2
  exit 1
fi
echo "  page and status JSON served at $dashboard_url"
stop_dashboard
trap - EXIT

# The chat robot: robot messages and card callbacks over stream mode (CALLBACK frames) and over signed HTTP posts, replies
# through a fake session webhook and robot API, approval states from a fake server API; all on loopback.
helpdesk_out="artifacts/aot/HelpdeskBot"
echo "publishing samples/HelpdeskBot with NativeAOT"
if ! timeout 1500 dotnet publish samples/HelpdeskBot -c Release -r linux-x64 -p:PublishAot=true -o "$helpdesk_out" > artifacts/aot/helpdesk-publish.log 2>&1; then
  tail -n 40 artifacts/aot/helpdesk-publish.log >&2
  echo "NativeAOT publish of the helpdesk robot failed" >&2
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" artifacts/aot/helpdesk-publish.log >&2; then
  echo "NativeAOT publish of the helpdesk robot produced trim/AOT warnings" >&2
  exit 1
fi
echo "  binary $(du -k "$helpdesk_out/HelpdeskBot" | cut -f1) KiB, zero IL2xxx/IL3xxx warnings"
echo "native binary: HelpdeskBot --simulate"
if ! (cd "$helpdesk_out" && timeout 180 ./HelpdeskBot --simulate < /dev/null > ../helpdesk-simulate.log 2>&1); then
  cat artifacts/aot/helpdesk-simulate.log >&2
  echo "the native helpdesk robot's --simulate run did not end as DingTalk expects" >&2
  exit 1
fi
tail -n 1 artifacts/aot/helpdesk-simulate.log

# The worker without ASP.NET Core: generic host + stream mode, published natively; the fake Stream gateway (which needs
# ASP.NET Core) runs in the separate simulation project and starts the native binary as a child process.
worker_out="artifacts/aot/StreamWorker"
echo "publishing samples/StreamWorker (generic host, no ASP.NET Core) with NativeAOT"
if ! timeout 1500 dotnet publish samples/StreamWorker -c Release -r linux-x64 -p:PublishAot=true -o "$worker_out" > artifacts/aot/worker-publish.log 2>&1; then
  tail -n 40 artifacts/aot/worker-publish.log >&2
  echo "NativeAOT publish of the stream worker failed" >&2
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" artifacts/aot/worker-publish.log >&2; then
  echo "NativeAOT publish of the stream worker produced trim/AOT warnings" >&2
  exit 1
fi
if find "$worker_out" -iname 'Microsoft.AspNetCore.*' | grep . >&2; then
  echo "the stream worker's publish output contains ASP.NET Core files" >&2
  exit 1
fi
echo "  binary $(du -k "$worker_out/StreamWorker" | cut -f1) KiB, zero IL2xxx/IL3xxx warnings, no Microsoft.AspNetCore.* file"
echo "native binary: StreamWorker against the fake Stream gateway"
if ! timeout 180 dotnet samples/StreamWorker.Simulation/bin/Release/net10.0/StreamWorker.Simulation.dll --worker "$worker_out/StreamWorker" \
  < /dev/null > artifacts/aot/worker-simulation.log 2>&1; then
  cat artifacts/aot/worker-simulation.log >&2
  echo "the native stream worker did not handle the stream simulation as DingTalk expects" >&2
  exit 1
fi
grep -E "^connected " artifacts/aot/worker-simulation.log || true
tail -n 1 artifacts/aot/worker-simulation.log

# The durable inbox under NativeAOT: the SQLite inbox host publishes without IL warnings, ships the native SQLite library
# beside the binary, and passes the crash test (SIGKILL mid-stream, restart, redelivery) as a native process.
crash_out="artifacts/aot/InboxCrashHost"
echo "publishing tests/InboxCrashHost (SQLite inbox) with NativeAOT"
if ! timeout 1500 dotnet publish tests/InboxCrashHost -c Release -r linux-x64 -p:PublishAot=true -o "$crash_out" > artifacts/aot/crash-publish.log 2>&1; then
  tail -n 40 artifacts/aot/crash-publish.log >&2
  echo "NativeAOT publish of the inbox host failed" >&2
  exit 1
fi
if grep -E "warning IL[23][0-9]{3}" artifacts/aot/crash-publish.log >&2; then
  echo "NativeAOT publish of the inbox host produced trim/AOT warnings" >&2
  exit 1
fi
[ -f "$crash_out/libe_sqlite3.so" ] || { echo "the native SQLite library is not beside the inbox host" >&2; exit 1; }
# The multi-replica crash tests (HTTP and stream mode) run the same native host as three replicas on one PostgreSQL database:
# a throwaway cluster unless DINGGEN_POSTGRES names a server.
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
trap dinggen_pg_stop EXIT
dinggen_pg_start || { echo "could not start PostgreSQL for the multi-replica crash tests (set DINGGEN_POSTGRES)" >&2; exit 1; }
echo "crash tests against the native inbox host (SQLite; three replicas on PostgreSQL, HTTP and stream mode)"
if ! DINGGEN_INBOX_CRASH_HOST="$repo/$crash_out/InboxCrashHost" timeout 600 dotnet test tests/DingGen.Inbox.Tests -c Release --no-build \
  --filter "FullyQualifiedName~CrashTests" --blame-hang-timeout 5m --logger "console;verbosity=normal" < /dev/null > artifacts/aot/crash-test.log 2>&1; then
  cat artifacts/aot/crash-test.log >&2
  echo "the crash test failed against the native inbox host" >&2
  exit 1
fi
grep -E "SIGKILL|acknowledged after|took over|Passed " artifacts/aot/crash-test.log || true
dinggen_pg_stop
trap - EXIT

echo "AOT smoke test passed"
