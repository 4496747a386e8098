-- One kind of the soak's traffic (bench/soak/run): wrk -s mix.lua URL -- KIND FILE
-- FILE holds one request per line, "METHOD PATH" (a POST's body after a tab); the threads take
-- them in turn from a random start. Counts answers by class (5xx apart) and prints one line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  kind = args[1]
  requests = {}
  for line in io.lines(args[2]) do
    local method, path, body = line:match("^(%S+) ([^\t]+)\t?(.*)$")
    if method then
      local headers = {["Accept-Encoding"] = "br, gzip"}
      if body ~= "" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
      table.insert(requests, wrk.format(method, path, headers, body ~= "" and body or nil))
    end
  end
  math.randomseed(os.time() + #threads)
  next_request = math.random(#requests)
  s2xx, s3xx, s4xx, s5xx = 0, 0, 0, 0
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status)
  if status >= 500 then
    s5xx = s5xx + 1
  elseif status >= 400 then
    s4xx = s4xx + 1
  elseif status >= 300 then
    s3xx = s3xx + 1
  else
    s2xx = s2xx + 1
  end
end

function done(summary, latency, _)
  local c = {s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0}
  local name = "?"
  for _, thread in ipairs(threads) do
    for key, _ in pairs(c) do c[key] = c[key] + thread:get(key) end
    name = thread:get("kind")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.timeout
  io.write(string.format(
      "%-9s requests %9d  req/s %7.0f  2xx %8d  3xx %6d  4xx %7d  5xx %4d  socket errors %4d" ..
      "  p50 %7.2f ms  p99 %7.2f ms  max %8.2f ms\n",
      name, summary.requests, summary.requests / (summary.duration / 1e6), c.s2xx, c.s3xx, c.s4xx,
      c.s5xx, errors, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000))
end
