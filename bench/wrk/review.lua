-- wrk script: POSTs AdmissionReview bodies over one keep-alive connection per wrk connection, round robin over the
-- files named in BENCH_BODIES (comma-separated), and prints one machine-readable RESULT line when done.
local bodies = {}
for path in string.gmatch(os.getenv("BENCH_BODIES") or "", "[^,]+") do
  local f = assert(io.open(path, "rb"))
  table.insert(bodies, f:read("*a"))
  f:close()
end
assert(#bodies > 0, "BENCH_BODIES names no file")

local requests = {}
local n = 0

function init(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
  end
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d socket_errors=%d non2xx=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(99), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status))
end
