-- Bulwark idempotency store: complete. KEYS[1] = record key.
-- ARGV[1] owner token, ARGV[2] fencing token (20 digits), ARGV[3] ttl ms, ARGV[4] result.
-- Returns 1 if applied, 0 if fenced (absent, expired, completed, or another owner or fencing token).
local key = KEYS[1]
local record = redis.call('GET', key)
if not record or string.sub(record, 1, 1) ~= 'P' or string.sub(record, 66, 97) ~= ARGV[1]
    or string.sub(record, 98, 117) ~= ARGV[2] then
  return 0
end
redis.call('SET', key, 'C' .. string.sub(record, 2, 117) .. '000000000000000' .. ARGV[4], 'PX', ARGV[3])
return 1
