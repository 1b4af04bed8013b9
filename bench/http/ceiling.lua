-- wrk script: the trivial endpoint (GET /health/live: a constant answer, no I/O) gives the server's ceiling.
function done(summary, latency, requests)
  io.write(string.format("RESULT requests_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
