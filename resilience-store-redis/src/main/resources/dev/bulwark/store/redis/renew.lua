-- Bulwark idempotency store: renew. KEYS[1] = record key.
-- ARGV[1] owner token, ARGV[2] fencing token (20 digits), ARGV[3] lease ms.
-- Returns 1 if applied, 0 if fenced. The record lives at least as long as the new lease.
local key = KEYS[1]
local record = redis.call('GET', key)
if not record or string.sub(record, 1, 1) ~= 'P' or string.sub(record, 66, 97) ~= ARGV[1]
    or string.sub(record, 98, 117) ~= ARGV[2] then
  return 0
end
local lease = tonumber(ARGV[3])
local pttl = redis.call('PTTL', key)
if pttl <= 0 then
  return 0
end
local life = math.max(pttl, lease)
redis.call('SET', key, string.sub(record, 1, 117) .. string.format('%015d', life - lease), 'PX', life)
return 1
