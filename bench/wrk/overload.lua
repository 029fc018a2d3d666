-- wrk script for the overload run: POSTs one AdmissionReview body (BENCH_BODIES) with a uid of its own per request
-- (a ring of 4096 per wrk thread), and checks every answer: status 200, an AdmissionReview answering a uid that was
-- sent and not answered yet, allowed. Answers are sorted by what they say: judged, "overloaded" (shed at the door),
-- "late" (the deadline passed before a worker got to it). Latency is measured per answer, from the moment wrk hands
-- the request over to the moment the whole answer is read (CLOCK_MONOTONIC, through LuaJIT's ffi), so the judged
-- reviews get a latency of their own. Prints one machine-readable RESULT line when done.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } ug_timespec;
  int clock_gettime(int clk_id, ug_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("ug_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local OVERLOADED = "overloaded; change allowed unchecked"
local LATE = "within the API server's timeout"
local DEADLINE_US = 3000000 -- the webhook's timeoutSeconds
local RING = 4096

-- ---- main thread: give each wrk thread an id, collect their counts at the end ----------------------------------
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- ---- per wrk thread --------------------------------------------------------------------------------------------
local path = os.getenv("BENCH_BODIES") or ""
local f = assert(io.open(path, "rb"), "BENCH_BODIES names no file")
local body = f:read("*a")
f:close()
-- the request's uid is the first "uid" of the review (request.uid comes first, as the API server sends it)
local uid_at, uid_value_at = body:find('"uid":"', 1, true)
assert(uid_at, "no uid in " .. path)
local uid_end = body:find('"', uid_value_at + 1, true)
local prefix, suffix = body:sub(1, uid_value_at), body:sub(uid_end)

local requests, uids = {}, {}
sent = {}   -- uid -> when it was handed over, until answered (global: done() reads it per thread)
sent_n = 0
answers, judged, overloaded, late, bad_status, bad_uid, denied, reused, over_deadline = 0, 0, 0, 0, 0, 0, 0, 0, 0
lat_judged, lat_overloaded, lat_late = {}, {}, {}
max_us = 0

function init(args)
  for k = 1, RING do
    local uid = string.format("ovl%02d%05d-0000-4000-8000-000000000000", id or 0, k)
    uids[k] = uid
    requests[k] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, prefix .. uid .. suffix)
  end
end

function request()
  sent_n = sent_n + 1
  local k = (sent_n % RING) + 1
  local uid = uids[k]
  if sent[uid] then
    reused = reused + 1 -- still unanswered after RING more requests: counted, and its first send forgotten
  end
  sent[uid] = now_us()
  return requests[k]
end

function response(status, headers, answer)
  local t = now_us()
  answers = answers + 1
  if status ~= 200 then
    bad_status = bad_status + 1
    return
  end
  local uid = answer:match('"uid"%s*:%s*"([^"]*)"')
  local start = uid and sent[uid]
  if not start then
    bad_uid = bad_uid + 1
    return
  end
  sent[uid] = nil
  local lat = t - start
  if lat > max_us then max_us = lat end
  if lat > DEADLINE_US then over_deadline = over_deadline + 1 end
  if not answer:find('"allowed"%s*:%s*true') then
    denied = denied + 1
  end
  if answer:find(OVERLOADED, 1, true) then
    overloaded = overloaded + 1
    lat_overloaded[#lat_overloaded + 1] = lat
  elseif answer:find(LATE, 1, true) then
    late = late + 1
    lat_late[#lat_late + 1] = lat
  else
    judged = judged + 1
    lat_judged[#lat_judged + 1] = lat
  end
end

-- requests still unanswered when the run ended (wrk abandons them), and how many of those had waited past 3 s
function count_pending()
  local t = now_us()
    for _, start in pairs(sent) do
    pending_end = pending_end + 1
    if t - start > DEADLINE_US then stuck_end = stuck_end + 1 end
  end
  return pending_end
end

-- ---- main thread again ---------------------------------------------------------------------------------------
local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  local i = math.ceil(#sorted * p / 100)
  if i < 1 then i = 1 end
  return sorted[i]
end

function done(summary, latency, requests)
  local totals = { answers = 0, judged = 0, overloaded = 0, late = 0, bad_status = 0, bad_uid = 0, denied = 0,
                   reused = 0, over_deadline = 0, sent_n = 0 }
  local lj, lo, ll, max = {}, {}, {}, 0
  -- requests still unanswered when the run ended (wrk abandons them), and how many of those had waited past 3 s
  local t, pending, stuck = now_us(), 0, 0
  for _, thread in ipairs(threads) do
    for k, _ in pairs(totals) do
      totals[k] = totals[k] + (thread:get(k) or 0)
    end
    for _, start in pairs(thread:get("sent") or {}) do
      pending = pending + 1
      if t - start > DEADLINE_US then stuck = stuck + 1 end
    end
    for _, v in ipairs(thread:get("lat_judged") or {}) do lj[#lj + 1] = v end
    for _, v in ipairs(thread:get("lat_overloaded") or {}) do lo[#lo + 1] = v end
    for _, v in ipairs(thread:get("lat_late") or {}) do ll[#ll + 1] = v end
    local m = thread:get("max_us") or 0
    if m > max then max = m end
  end
  table.sort(lj)
  table.sort(lo)
  table.sort(ll)
  local e = summary.errors
  io.write(string.format("RESULT seconds=%.1f answers=%d judged=%d overloaded=%d late=%d bad_status=%d bad_uid=%d "
      .. "denied=%d reused=%d over_3s=%d socket_errors=%d timeouts=%d sent=%d unanswered_at_end=%d stuck_at_end=%d "
      .. "judged_p50_us=%d judged_p99_us=%d judged_max_us=%d overloaded_p50_us=%d overloaded_p99_us=%d "
      .. "late_p99_us=%d max_us=%d\n",
    summary.duration / 1e6, totals.answers, totals.judged, totals.overloaded, totals.late, totals.bad_status,
    totals.bad_uid, totals.denied, totals.reused, totals.over_deadline, e.connect + e.read + e.write, e.timeout,
    totals.sent_n, pending, stuck,
    percentile(lj, 50), percentile(lj, 99), lj[#lj] or 0, percentile(lo, 50), percentile(lo, 99),
    percentile(ll, 99), max))
end
