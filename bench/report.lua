-- wrk reporter for bench/gateway.sh: one machine-readable line after a run, latencies in
-- microseconds. "status" counts responses that were not 2xx or 3xx: a run with any is invalid.
--
-- BENCH_PAUSE_MS=N makes each connection wait N ms after every response before its next request
-- (the paced 1-connection runs): a client that calls now and then, not one that never lets go.
--
-- wrk corrects its latencies for coordinated omission before this reports them: for every request
-- slower than the run's mean interval per connection (its duration ÷ requests per connection), it
-- also counts the requests a client at that steady rate would have seen waiting behind it. With
-- one connection going flat out that interval is the server's own ~0.1 ms, so a 3 ms pause adds
-- some thirty samples; with a pause between requests it is over a millisecond and adds few.
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0") or 0
if pause > 0 then
  delay = function() return pause end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d" ..
    " p50=%d p90=%d p99=%d max=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
