-- wrk script: the routing request's own floor. The same POST as route.lua, parsed, authenticated
-- and refused with 422 (unknown channel) before any decision or write: what HTTP, JSON and the
-- token check cost on their own. The path is set here, not taken from the command line: until the
-- thirteenth session load.sh passed the bare base address, and this measured `POST /` answered 404.
-- Any answer but 422 is counted as a failure, so a wrong target shows instead of being measured.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  refused, other = 0, 0
  wrk.method = "POST"
  wrk.path = "/api/v1/conversations"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("ROUTER_ADMIN_TOKEN") or "bench")
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"channelId":"no-such-channel","message":{"text":"Where is my order?"}}'
end

function request()
  return wrk.format()
end

function response(status, headers, body)
  if status == 422 then refused = refused + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local r, o = 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("refused"); o = o + t:get("other")
  end
  io.write(string.format("RESULT requests_per_s=%.1f p50_ms=%.2f p99_ms=%.2f refused=%d failures=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    r, o + summary.errors.connect + summary.errors.timeout))
end
