-- Bulwark idempotency store: release. KEYS[1] = record key.
-- ARGV[1] owner token, ARGV[2] fencing token (20 digits). Returns 1 if deleted, 0 if fenced.
local key = KEYS[1]
local record = redis.call('GET', key)
if not record or string.sub(record, 1, 1) ~= 'P' or string.sub(record, 66, 97) ~= ARGV[1]
    or string.sub(record, 98, 117) ~= ARGV[2] then
  return 0
end
redis.call('DEL', key)
return 1
