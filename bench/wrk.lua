-- wrk script of bench/run.py: the request to send and a count of the statuses received.
--
-- The request comes from the environment so one script serves every row:
--   BENCH_METHOD (GET), BENCH_BODY, BENCH_HOST, BENCH_COOKIE, BENCH_CONTENT_TYPE,
--   BENCH_REFERER, BENCH_ORIGIN, BENCH_ACCEPT_ENCODING.
-- At the end it prints one line, "BENCH_RESULT {json}", with the exact counts and
-- latency percentiles, so the runner need not parse wrk's rounded text.

local statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local function env(name)
    local value = os.getenv(name)
    if value == nil or value == "" then return nil end
    return value
  end
  wrk.method = env("BENCH_METHOD") or "GET"
  wrk.body = env("BENCH_BODY")
  local headers = {
    ["Host"] = env("BENCH_HOST"),
    ["Cookie"] = env("BENCH_COOKIE"),
    ["Content-Type"] = env("BENCH_CONTENT_TYPE"),
    ["Referer"] = env("BENCH_REFERER"),
    ["Origin"] = env("BENCH_ORIGIN"),
    ["Accept-Encoding"] = env("BENCH_ACCEPT_ENCODING"),
  }
  for name, value in pairs(headers) do
    if value then wrk.headers[name] = value end
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, count in pairs(seen or {}) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
