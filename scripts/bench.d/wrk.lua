-- One wrk script for every scenario, so the bare route and the pages are measured the same way.
-- Settings come from the environment (wrk passes it through to every thread):
--   BENCH_PATHS   comma-separated request paths, taken in turn (default "/")
--   BENCH_METHOD  GET (default) or POST;  BENCH_BODY  a form body (sent url-encoded)
--   BENCH_COOKIE  the Cookie header;      BENCH_EXPECT  the one status every response must have
--   BENCH_OUT     where done() writes the figures as one JSON object
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^,]+") do paths[#paths + 1] = path end
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local out = os.getenv("BENCH_OUT")

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  counter = 0
  unexpected = 0
  first_unexpected = ""
  headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
end

function request()
  counter = counter + 1
  return wrk.format(method, paths[(counter % #paths) + 1], headers, body)
end

function response(status, response_headers, response_body)
  if status ~= expect then
    unexpected = unexpected + 1
    if first_unexpected == "" then
      local location = response_headers["location"] or response_headers["Location"] or ""
      first_unexpected = tostring(status) .. " " .. location .. " " .. string.sub(response_body or "", 1, 200)
    end
  end
end

local function json_string(text)
  return '"' .. string.gsub(text, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
  local bad, first = 0, ""
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    if first == "" then first = thread:get("first_unexpected") or "" end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local text = string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f, "unexpected": %d, "first_unexpected": %s, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "status_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, bad, json_string(first), errors.connect, errors.read,
    errors.write, errors.timeout, errors.status)
  if out then
    local file = assert(io.open(out, "w"))
    file:write(text)
    file:close()
  end
  io.write(text)
end
