-- wrk reporter for bench/gateway.sh: one machine-readable line after a run, latencies in
-- microseconds. "status" counts responses that were not 2xx or 3xx: a run with any is invalid.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d" ..
    " p50=%d p90=%d p99=%d max=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
