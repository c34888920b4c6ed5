-- wrk script: files incidents through POST /api/incidents with an API token.
-- Counts 201 answers so the report gives acknowledged (durable) creations.
local token = os.getenv("CSIRT_TOKEN")
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"title":"Sự cố thử tải %d","detected_at":"2026-11-20T08:30:00+07:00",' ..
    '"taxonomy_code":"1.3","description":"Tạo bởi bench/api/create.lua",' ..
    '"observables":[{"type":"ip","value":"198.51.100.%d"}]}', n, n % 250)
  return wrk.format("POST", "/api/incidents",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
local created = 0
response = function(status, headers, body)
  if status == 201 then created = created + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non-201: %d\n", summary.errors.status))
end
