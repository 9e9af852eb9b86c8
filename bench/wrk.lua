-- wrk script for bench/run.py: cycles through the requests listed in $BENCH_REQUESTS
-- (one per line: METHOD <TAB> PATH <TAB> COOKIE <TAB> BODY), each thread on its own slice
-- so that one-shot requests (quiz submissions) are not repeated; prints one JSON line.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests, statuses, sent, wrapped = {}, {}, 0, 0
  local file = assert(io.open(os.getenv("BENCH_REQUESTS"), "r"))
  for line in file:lines() do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    local headers = {["Cookie"] = cookie, ["Accept-Language"] = "en"}
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
    table.insert(requests, wrk.format(method, path, headers, body ~= "" and body or nil))
  end
  file:close()
  nthreads = tonumber(os.getenv("BENCH_THREADS"))
end

function request()
  local index = id + sent * nthreads
  sent = sent + 1
  if index >= #requests then
    wrapped = 1
    index = index % #requests
  end
  return requests[index + 1]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, exhausted = {}, false
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    exhausted = exhausted or thread:get("wrapped") == 1
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "statuses": {%s}, "wrapped": %s}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
      + summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", "), tostring(exhausted)))
end
