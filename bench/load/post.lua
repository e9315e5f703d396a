-- wrk script: POSTs pre-encrypted DingTalk callbacks read from $DINGGEN_CALLBACKS (one per line: "<path>?<query>\t<body>").
-- Each wrk thread walks its own stride of the pool, so with a pool larger than the run no two requests carry the same
-- event. $DINGGEN_TARGET_PATH, when set (e.g. /bare), replaces the path and keeps the query and body.
local file = os.getenv("DINGGEN_CALLBACKS")
local target = os.getenv("DINGGEN_TARGET_PATH")
local pool = {}
for line in io.lines(file) do
  local tab = line:find("\t", 1, true)
  local url = line:sub(1, tab - 1)
  if target and target ~= "" then
    url = target .. url:sub(url:find("?", 1, true))
  end
  pool[#pool + 1] = { url, line:sub(tab + 1) }
end

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/json" }
local index
local stride
local first
non2xx = 0
wrapped = false

-- args: stride (the number of wrk threads), offset into the pool (so a warm-up and the measured run use different events).
function init(args)
  stride = tonumber(args[1]) or 1
  first = (tonumber(args[2]) or 0) + id + 1
  index = first
end

function request()
  local item = pool[index]
  index = index + stride
  if index > #pool then
    index = (first - 1) % stride + 1
    wrapped = true
  end
  return wrk.format("POST", item[1], headers, item[2])
end

function response(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  local wrappedAny = false
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    if thread:get("wrapped") then wrappedAny = true end
  end
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f non200=%d socket_errors=%d pool=%d pool_wrapped=%s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    #pool, tostring(wrappedAny)))
end
