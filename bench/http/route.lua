-- wrk script: routing requests on the seeded chat channels, mixed with closes of earlier
-- conversations so agents' loads stay realistic (each thread keeps up to 8 of its chats open).
-- Prints one RESULT line of raw counts, so that several wrk runs can be summed: routed (201),
-- closed (200), failed (any other status), wrk's own non-2xx count and its socket errors.
local threads = {}
local inboxes = tonumber(os.getenv("BENCH_INBOXES") or "20")
local token = os.getenv("ROUTER_ADMIN_TOKEN") or "bench"
-- BENCH_CLOSES=0: routing requests only (agents' loads then only grow during the run).
local closes = (os.getenv("BENCH_CLOSES") or "1") ~= "0"
-- BENCH_PAUSE_MS > 0: each connection pauses before each request, at random between 0 and twice that
-- many milliseconds, so the connections together send a steady rate instead of as fast as answers come.
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")
if pause > 0 then
  function delay()
    return math.random() * 2 * pause
  end
end

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  routed, closed, failed, open = 0, 0, 0, {}
  math.randomseed(os.time() + id)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  if closes and #open > 8 and math.random() < 0.5 then
    local conversation = table.remove(open, 1)
    return wrk.format("POST", "/api/v1/conversations/" .. conversation .. "/close", nil, "")
  end
  local channel = string.format("chat-i%02d", math.random(0, inboxes - 1))
  return wrk.format("POST", "/api/v1/conversations", nil,
    '{"channelId":"' .. channel .. '","message":{"text":"Where is my order?"}}')
end

-- A 201 is a routing decision, a 200 a close; anything else is a failure, even another 2xx.
function response(status, headers, body)
  if status == 201 then
    routed = routed + 1
    local conversation = body:match('"id":"([^"]+)"')
    if conversation then table.insert(open, conversation) end
  elseif status == 200 then
    closed = closed + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local r, c, f = 0, 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("routed"); c = c + t:get("closed"); f = f + t:get("failed")
  end
  local e = summary.errors
  io.write(string.format("RESULT seconds=%.3f routed=%d closed=%d failed=%d non2xx=%d socket=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.duration / 1e6, r, c, f, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
