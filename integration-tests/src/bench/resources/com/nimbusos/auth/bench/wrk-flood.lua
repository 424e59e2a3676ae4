-- wrk -s wrk-flood.lua URL -- KEYS_FILE FIRST COUNT
-- A different X-API-Key on every request: lines FIRST+1 .. FIRST+COUNT of KEYS_FILE, in turn (wrapping
-- around after COUNT). The requests are made in init(), as wrk's manual advises, so the client stays cheap.
-- Prints one WRK_JSON line at the end.
local requests = {}
local count = 0
local index = 0

function init(args)
  local first = tonumber(args[2])
  local wanted = tonumber(args[3])
  local line = 0
  for key in io.lines(args[1]) do
    line = line + 1
    if line > first then
      count = count + 1
      requests[count] = wrk.format(nil, nil, {["Host"] = wrk.headers["Host"] or "127.0.0.1", ["X-API-Key"] = key})
      if count == wanted then
        break
      end
    end
  end
  if count == 0 then
    error("no keys in " .. args[1] .. " after line " .. first)
  end
end

function request()
  index = index + 1
  if index > count then
    index = 1
  end
  return requests[index]
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
