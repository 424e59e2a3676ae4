-- wrk -s wrk-static.lua URL -- KEY
-- The same X-API-Key on every request ("-" for none); prints one WRK_JSON line at the end.
function init(args)
  if args[1] and args[1] ~= "-" then
    wrk.headers["X-API-Key"] = args[1]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationMicros":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,' ..
    '"writeErrors":%d,"statusOver399":%d,"timeouts":%d,"p50Micros":%d,"p90Micros":%d,"p99Micros":%d,' ..
    '"meanMicros":%.2f,"maxMicros":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
