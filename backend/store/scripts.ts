// Lua scripts shared by the Redis (TCP) and Upstash (REST) stores, so both give the exact same
// semantics. A script runs atomically inside Redis: no other command interleaves, which is what
// makes "check the limit, then add" safe across many serverless instances.
//
// TTL rule (both scripts): set the TTL only when the key has none (PTTL = -1 right after INCRBY
// means we just created it). That is EXPIRE NX, which needs Redis 7; PTTL works on older servers
// and on Upstash, and also heals a counter that somehow lost its TTL.
import { StoreError } from '../errors';

/**
 * KEYS[1] counter; ARGV[1] amount (≥ 0), ARGV[2] limit, ARGV[3] ttl seconds.
 * Returns {1, newValue} when added, {0, currentValue} when it would exceed the limit.
 */
export const RESERVE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
local current = 0
if raw then
  current = tonumber(raw)
  if not current then return redis.error_reply('ERR value is not an integer') end
end
local amount = tonumber(ARGV[1])
if current + amount > tonumber(ARGV[2]) then
  return {0, current}
end
local value = redis.call('INCRBY', KEYS[1], amount)
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return {1, value}
`;

/** KEYS[1] counter; ARGV[1] amount (may be negative), ARGV[2] ttl seconds. Returns the new value. */
export const ADD_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return value
`;

/** Parses a script's {ok, value} reply; Redis turns Lua numbers into integer replies. */
export function parseReserveReply(reply: unknown): { ok: boolean; value: number } {
  if (!Array.isArray(reply) || reply.length !== 2) throw new StoreError('store: unexpected reply from the reserve script');
  return { ok: Number(reply[0]) === 1, value: Number(reply[1]) };
}
