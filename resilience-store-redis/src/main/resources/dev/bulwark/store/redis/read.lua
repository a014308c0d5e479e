-- Bulwark idempotency store: read. KEYS[1] = record key. Returns {pttl, record}, or nil if there is none.
local record = redis.call('GET', KEYS[1])
if not record then
  return nil
end
local pttl = redis.call('PTTL', KEYS[1])
if pttl == -1 then
  return redis.error_reply('not a Bulwark idempotency record: ' .. KEYS[1])
end
if pttl <= 0 then
  return nil
end
return {pttl, record}
