// Lua scripts shared by the Redis (TCP) and Upstash (REST) stores, so both give the exact same
// semantics. A script runs atomically inside Redis: no other command interleaves, which is what
// makes "check the limit, then add" safe across many serverless instances.
//
// TTL rule (both scripts): set the TTL only when the key has none (PTTL = -1 right after INCRBY
// means we just created it). That is EXPIRE NX, which needs Redis 7; PTTL works on older servers
// and on Upstash, and also heals a counter that somehow lost its TTL.
import { StoreError } from '../errors';
import { holdMember, type Hold } from './store';

// Holds (store.ts Hold): with a second key, reserve and add also record the amount in that lease
// index (a sorted set scored by expiry), in the same atomic step, so no crash can leave a counter
// moved without the hold that gives it back. The index lives at least as long as its counters.
// `member` is ARGV[memberAt], its expiry ARGV[memberAt + 1]; the ttl is ARGV[ttlAt].
const recordHold = (memberAt: number, ttlAt: number) => `
if KEYS[2] then
  redis.call('ZADD', KEYS[2], ARGV[${memberAt + 1}], ARGV[${memberAt}])
  if redis.call('TTL', KEYS[2]) < tonumber(ARGV[${ttlAt}]) then
    redis.call('EXPIRE', KEYS[2], ARGV[${ttlAt}])
  end
end`;

/**
 * KEYS[1] counter, [KEYS[2] lease index]; ARGV[1] amount (≥ 0), ARGV[2] limit, ARGV[3] ttl seconds,
 * [ARGV[4] hold member, ARGV[5] its expiry ms].
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
${recordHold(4, 3)}
return {1, value}
`;

/** KEYS[1] counter, [KEYS[2] lease index]; ARGV[1] amount (may be negative), ARGV[2] ttl seconds, [ARGV[3] hold member, ARGV[4] its expiry ms]. Returns the new value. */
export const ADD_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
${recordHold(3, 2)}
return value
`;

// Adds `amount` to counter `key` unless that would create a negative counter for a key that has
// gone (a month or day that ended); keeps an existing key's TTL, sets `ttl` on creation.
const ADD_IF_SENSIBLE = `
local function change(key, amount, ttl)
  if amount == 0 or (amount < 0 and redis.call('EXISTS', key) == 0) then return end
  redis.call('INCRBY', key, amount)
  if redis.call('PTTL', key) == -1 then redis.call('EXPIRE', key, ttl) end
end
`;

/**
 * KEYS[1] lease index, KEYS[2] counter; ARGV[1] hold member, ARGV[2] change if still held,
 * ARGV[3] change if already released, ARGV[4] ttl seconds. Returns 1 when it was still held.
 */
export const END_HOLD_SCRIPT = `
${ADD_IF_SENSIBLE}
local held = redis.call('ZREM', KEYS[1], ARGV[1]) == 1
if held then change(KEYS[2], tonumber(ARGV[2]), ARGV[4]) else change(KEYS[2], tonumber(ARGV[3]), ARGV[4]) end
if held then return 1 end
return 0
`;

/**
 * KEYS[1] lease index; ARGV[1] now (ms). Releases up to 100 expired holds per call (a token has
 * a handful; the bound keeps one call short). Counters are named in the members: a single Redis
 * (or Upstash database) is assumed, not a cluster. Returns how many went.
 */
export const RELEASE_EXPIRED_SCRIPT = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, member in ipairs(due) do
  local amount, key = string.match(member, '^[^:]+:(%-?%d+):(.+)$')
  if key and redis.call('EXISTS', key) == 1 then redis.call('DECRBY', key, amount) end
  redis.call('ZREM', KEYS[1], member)
end
return #due
`;

/** KEYS[1] string; ARGV[1] expected value, ARGV[2] ttl seconds, [ARGV[3] new value — absent deletes]. Returns 1 when it did. */
export const COMPARE_AND_SET_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] then redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2]) else redis.call('DEL', KEYS[1]) end
return 1
`;

/** The lease index key and trailing arguments that make RESERVE_SCRIPT / ADD_SCRIPT record `hold` (none without one). */
export function holdParts(prefix: string, hold: Hold | undefined, amount: number, fullKey: string): { keys: string[]; args: string[] } {
  return hold ? { keys: [prefix + hold.index], args: [holdMember(hold, amount, fullKey), String(hold.expiresAt)] } : { keys: [], args: [] };
}

/** Parses a script's {ok, value} reply; Redis turns Lua numbers into integer replies. */
export function parseReserveReply(reply: unknown): { ok: boolean; value: number } {
  if (!Array.isArray(reply) || reply.length !== 2) throw new StoreError('store: unexpected reply from the reserve script');
  return { ok: Number(reply[0]) === 1, value: Number(reply[1]) };
}
