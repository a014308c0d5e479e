-- Bulwark idempotency store: claim. KEYS[1] = record key.
-- ARGV[1] fingerprint (64 hex), ARGV[2] owner token (32 hex), ARGV[3] lease ms, ARGV[4] ttl ms.
-- Returns {1, fencing} new claim, {2, fencing} takeover of a lapsed lease, {3, pttl, record} completed,
-- {4, lease ms left} in progress, {5} fingerprint mismatch.
--
-- A record is one string: state (P or C), fingerprint, owner, fencing (20 digits), lease threshold
-- (15 digits), then the result of a completed record. The key's own expiry (PX) is the record's ttl, and
-- the lease of an in-progress record is live while the key's remaining ttl (PTTL) is above the threshold:
-- both are counted down by the Redis server's clock, so no client's clock is ever consulted.
local key = KEYS[1]
local fingerprint, owner = ARGV[1], ARGV[2]
local lease, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])

local function inProgress(fencing)
  return 'P' .. fingerprint .. owner .. string.format('%020d', fencing) .. string.format('%015d', ttl - lease)
end

local record = redis.call('GET', key)
if not record then
  -- no live record: claim with SET NX PX (the server expires it). Replays never reach a write command, so
  -- they stay read-only scripts.
  redis.call('SET', key, inProgress(1), 'NX', 'PX', ttl)
  return {1, 1}
end
local pttl = redis.call('PTTL', key)
if pttl == -1 or string.len(record) < 132 or not string.find('PC', string.sub(record, 1, 1), 1, true) then
  return redis.error_reply('not a Bulwark idempotency record: ' .. key)
end
if pttl <= 0 then
  -- expiring at this very millisecond: it counts as absent
  redis.call('SET', key, inProgress(1), 'PX', ttl)
  return {1, 1}
end
if string.sub(record, 2, 65) ~= fingerprint then
  return {5}
end
if string.sub(record, 1, 1) == 'C' then
  return {3, pttl, record}
end
local threshold = tonumber(string.sub(record, 118, 132))
if pttl > threshold then
  return {4, pttl - threshold}
end
local fencing = tonumber(string.sub(record, 98, 117)) + 1
redis.call('SET', key, inProgress(fencing), 'PX', ttl)
return {2, fencing}
