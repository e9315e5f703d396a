-- wrk script: POSTs pre-encrypted DingTalk callbacks read from $DINGGEN_CALLBACKS (one per line: "<path>?<query>\t<body>").
-- Each wrk thread walks its own stride of the pool, so with a pool larger than the run no two requests carry the same
-- event. $DINGGEN_TARGET_PATH, when set (e.g. /bare), replaces the path and keeps the query and body.
--
-- Lines are read from the file as requests are made, never loaded up front: a pool of 600,000 callbacks is 276 MB, and
-- loading it into each thread's Lua state took wrk about 7 s of CPU and 1.5 GB, part of it while the first thread was
-- already sending (wrk starts each thread once its state is loaded), which took a core from the host under test.
local file_name = os.getenv("DINGGEN_CALLBACKS")
local target = os.getenv("DINGGEN_TARGET_PATH")

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/json" }
local file
local stride
local first
non2xx = 0
wrapped = false

-- Reads the next line, starting over at the top of the file (a wrap) at its end.
local function next_line()
  local line = file:read("*l")
  if line == nil then
    wrapped = true
    file:seek("set", 0)
    line = file:read("*l")
  end
  return line
end

-- args: stride (the number of wrk threads), offset into the pool (so a warm-up and the measured run use different events).
function init(args)
  stride = tonumber(args[1]) or 1
  first = (tonumber(args[2]) or 0) + id
  file = assert(io.open(file_name, "r"))
  file:setvbuf("full", 1048576)
  for _ = 1, first do
    next_line()
  end
  wrapped = false
end

local skip = 0
function request()
  for _ = 1, skip do
    next_line()
  end
  skip = stride - 1
  local line = next_line()
  local tab = line:find("\t", 1, true)
  local url = line:sub(1, tab - 1)
  if target and target ~= "" then
    url = target .. url:sub(url:find("?", 1, true))
  end
  return wrk.format("POST", url, headers, line:sub(tab + 1))
end

function response(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
  end
end

-- The number of callbacks in the pool (lines of the file), counted in 1 MB chunks.
local function pool_size()
  local f = assert(io.open(file_name, "rb"))
  local lines = 0
  while true do
    local chunk = f:read(1048576)
    if chunk == nil then
      break
    end
    local _, n = chunk:gsub("\n", "")
    lines = lines + n
  end
  f:close()
  return lines
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
    pool_size(), tostring(wrappedAny)))
end
