-- wrk script: POSTs pre-encrypted DingTalk callbacks read from $DINGGEN_CALLBACKS (one per line: "<path>?<query>\t<body>",
-- every line equally long; LoadHost pads the bodies with spaces). Each wrk thread walks its own stride of the pool, so with
-- a pool larger than the run no two requests carry the same event. $DINGGEN_TARGET_PATH, when set (e.g. /bare), replaces
-- the path and keeps the query and body.
--
-- The script seeks to each callback instead of reading the file up to it: a pool of 600,000 callbacks is 289 MB, and
-- loading it into each thread's Lua state took wrk about 7 s of CPU and 1.5 GB; reading past the first half of it line by
-- line (the measured run starts there) and counting its lines at the end still took wrk about 2.4 s of CPU outside the
-- measured run, which run.sh's CPU figures per request counted.
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
local width
local pool
local stride
local index
non2xx = 0
wrapped = false

-- The width of a line (with its newline) and the number of lines, from the first line and the file's size.
local function measure(f)
  local first_line = assert(f:read("*l"), "the callbacks file is empty")
  local size = f:seek("end")
  local w = #first_line + 1
  assert(size % w == 0, "the callbacks file's lines are not all " .. w .. " bytes long: write it with LoadHost callbacks")
  return w, math.floor(size / w)
end

-- args: stride (the number of wrk threads), offset into the pool (so a warm-up and the measured run use different events).
function init(args)
  stride = tonumber(args[1]) or 1
  file = assert(io.open(file_name, "rb"))
  width, pool = measure(file)
  file:setvbuf("full", 1024)
  index = (tonumber(args[2]) or 0) + id
  wrapped = false
end

function request()
  if index >= pool then
    wrapped = true
    index = index % pool
  end
  file:seek("set", index * width)
  local line = file:read("*l")
  index = index + stride
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

-- The number of callbacks in the pool.
local function pool_size()
  local f = assert(io.open(file_name, "rb"))
  local _, lines = measure(f)
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
