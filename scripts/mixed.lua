-- Mixed traffic for scripts/soak.sh: allowed and refused preflights, actual requests with
-- allowed, refused and hostile origins, hostile request headers. Counts 5xx per thread.
local requests = {}
local function add(method, path, headers)
  -- wrk.format adds no Host when given headers; HTTP/1.1 requires one.
  headers["Host"] = "127.0.0.1"
  requests[#requests + 1] = wrk.format(method, path, headers)
end

local allowed = "https://app.example.com"
add("GET", "/api/items", { ["Origin"] = allowed })
add("GET", "/api/items", { ["Origin"] = "https://evil.example" })
add("GET", "/api/items", {})
add("PUT", "/api/items", { ["Origin"] = allowed, ["Content-Type"] = "application/json" })
add("OPTIONS", "/api/items", { ["Origin"] = allowed, ["Access-Control-Request-Method"] = "PUT",
  ["Access-Control-Request-Headers"] = "content-type,x-token" })
add("OPTIONS", "/api/items", { ["Origin"] = "https://evil.example", ["Access-Control-Request-Method"] = "PUT" })
add("OPTIONS", "/api/items", { ["Origin"] = allowed, ["Access-Control-Request-Method"] = "DELETE" })
add("OPTIONS", "/partner/feed", { ["Origin"] = "https://partner.example", ["Access-Control-Request-Method"] = "PUT" })
add("OPTIONS", "/partner/feed", { ["Origin"] = allowed, ["Access-Control-Request-Method"] = "PUT" })
add("GET", "/partner/feed", { ["Origin"] = "https://partner.example" })
-- Hostile values.
add("GET", "/api/items", { ["Origin"] = "https://app.example.com\xff\xfe" })
add("GET", "/api/items", { ["Origin"] = "null" })
add("GET", "/api/items", { ["Origin"] = "https://" .. string.rep("a", 8000) .. ".example.com" })
add("GET", "/api/items", { ["Origin"] = "https://user@app.example.com/path?q#f" })
add("OPTIONS", "/api/items", { ["Origin"] = allowed, ["Access-Control-Request-Method"] = "P\x80T" })
add("OPTIONS", "/api/items", { ["Origin"] = allowed, ["Access-Control-Request-Method"] = "PUT",
  ["Access-Control-Request-Headers"] = string.rep(", ", 3000) })
add("OPTIONS", "/api/items", { ["Origin"] = allowed, ["Access-Control-Request-Method"] = "PUT",
  ["Access-Control-Request-Headers"] = "x-token,\t,\xff" })
add("GET", "/api/x%0d%0aforged", { ["Origin"] = allowed })
add("GET", "/api/%2e%2e/items", { ["Origin"] = "https://evil.example" })
add("GET", "/API/+items", { ["Origin"] = allowed })

local counter = 0
local server_errors = 0
ok_responses = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("server_errors") or 0)
  end
  local e = summary.errors
  io.write(string.format("requests %d 5xx %d connect %d read %d write %d timeout %d status %d\n",
    summary.requests, total, e.connect, e.read, e.write, e.timeout, e.status))
end
