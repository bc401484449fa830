-- wrk script: one query per request from a file, in rotation; prints p50/p95/p99 and rps.
-- usage: wrk ... -s queries.lua <url> -- <queries file> <path prefix, e.g. /bench/fts?q=> [suffix]
local queries = {}
local prefix = "/"
local suffix = ""
local index = 0

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      table.insert(queries, urlencode(line))
    end
  end
  file:close()
  prefix = args[2] or "/"
  suffix = args[3] or ""
end

function request()
  index = index % #queries + 1
  return wrk.format("GET", prefix .. queries[index] .. suffix)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
