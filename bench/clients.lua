-- wrk script: every request carries X-Client, cycling through $KEYS client names.
local keys = tonumber(os.getenv("KEYS") or "1")
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, {["X-Client"] = "client-" .. (n % keys)})
end
