-- wrk script: routing requests on the seeded chat channels, mixed with closes of earlier
-- conversations so agents' loads stay realistic. Counts routing requests per thread.
local threads = {}
local inboxes = tonumber(os.getenv("BENCH_INBOXES") or "20")
local token = os.getenv("ROUTER_ADMIN_TOKEN") or "bench"

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  created, closes, failures, open = 0, 0, 0, {}
  math.randomseed(os.time() + id)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  if #open > 8 and math.random() < 0.5 then
    local conversation = table.remove(open, 1)
    closing = true
    return wrk.format("POST", "/api/v1/conversations/" .. conversation .. "/close", nil, "")
  end
  closing = false
  local channel = string.format("chat-i%02d", math.random(0, inboxes - 1))
  return wrk.format("POST", "/api/v1/conversations", nil,
    '{"channelId":"' .. channel .. '","message":{"text":"Where is my order?"}}')
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    local conversation = body:match('"id":"([^"]+)"')
    if conversation then table.insert(open, conversation) end
  elseif status == 200 then
    closes = closes + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local c, k, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); k = k + t:get("closes"); f = f + t:get("failures")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT routing_per_s=%.1f closes_per_s=%.1f requests_per_s=%.1f failures=%d p50_ms=%.2f p99_ms=%.2f\n",
    c / seconds, k / seconds, summary.requests / seconds, f + summary.errors.status + summary.errors.connect + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
