-- wrk script: the routing request's own floor. The same POST as route.lua, parsed, authenticated
-- and refused with 422 (unknown channel) before any decision or write: what HTTP, JSON and the
-- token check cost on their own.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("ROUTER_ADMIN_TOKEN") or "bench")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"channelId":"no-such-channel","message":{"text":"Where is my order?"}}'

function done(summary, latency, requests)
  io.write(string.format("RESULT requests_per_s=%.1f p50_ms=%.2f p99_ms=%.2f refused=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
