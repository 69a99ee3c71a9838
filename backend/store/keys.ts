// Every key the backend writes to the shared store, and the UTC calendar behind them. Pure, so
// the windows (minute, day, month) and their boundaries are unit-tested with a fixed clock.
//
//   rpm:{name}:{epochMinute}            requests this minute          TTL 2 min
//   authfail:{epochMinute}:{address}    failed authentications that minute from a client address   TTL 2 min
//   img:{name}:{YYYY-MM-DD}             images reserved today          TTL to the day's end + 1 day
//   usd:{name}:{YYYY-MM}                micro-dollars reserved/spent   TTL to the month's end + 7 days
//   usage:{name}:{YYYY-MM}:{field}      /v1/usage counters             TTL as usd
//   lease:{name}                        holds on img/usd of reservations  TTL as the longest counter held
//                                       still open (sorted set: expiry ms → "{id}:{amount}:{counter}")
//   run:{name}:{id}                     an idempotent call's claim      TTL as result (its deadline inside)
//   result:{name}:{id}                  its finished result            TTL FRAMEFILL_RESULT_TTL_SECONDS
//   cancel:{name}:{id}                  DELETE asked another instance  TTL upstream timeout + margin
//                                       to stop the run (value: the run's nonce)
//   learn:{model}:{quality}:runs        settled calls learned from      TTL 90 days from the first run
//   learn:{model}:{quality}:tpmp        their output tokens per megapixel, summed (each rounded to an
//                                       integer); the estimate restarts when they expire, so it
//                                       follows OpenAI's changes (accounting/learned-output.ts)
//   batch:{name}:{id}                   an overnight batch (batches/)   TTL FRAMEFILL_BATCH_RESULT_TTL_SECONDS past its window
//   batchitem:{name}:{itemId}           the batch an item runs in (GET /v1/results answers 202)  TTL as batch
//   batchlock:{id}                      the instance advancing a batch  TTL a few minutes
//   batches:open                        the batches still to follow (JSON list of "{name}/{id}")  TTL as batch, refreshed
//   batchkey:{name}:{key}               a POST's Idempotency-Key → its batch (or "being submitted")  TTL as batch
// Token names never contain ':' (config/load-config.ts), so `{name}:{id}` cannot be confused across tokens.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "YYYY-MM" of a millisecond timestamp, in UTC. */
export function utcMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** "YYYY-MM-DD" of a millisecond timestamp, in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function epochMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

export function nextMinuteStart(ms: number): number {
  return (epochMinute(ms) + 1) * MINUTE_MS;
}

export function nextUtcDayStart(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}

export function nextUtcMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** "1 December" — when a monthly budget starts again. */
export function describeMonthStart(ms: number): string {
  const d = new Date(nextUtcMonthStart(ms));
  return `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]}`;
}

/** Whole seconds from `now` until `at`, at least 1 (a Retry-After of 0 invites a busy loop). */
export function secondsUntil(now: number, at: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

export const RPM_TTL_SECONDS = 120;
const DAY_GRACE_SECONDS = 86_400;
const MONTH_GRACE_SECONDS = 7 * 86_400;

export const dayTtlSeconds = (now: number) => secondsUntil(now, nextUtcDayStart(now)) + DAY_GRACE_SECONDS;
export const monthTtlSeconds = (now: number) => secondsUntil(now, nextUtcMonthStart(now)) + MONTH_GRACE_SECONDS;

/** How long learned output figures live from their first run (then learning starts afresh). */
export const LEARNED_TTL_SECONDS = 90 * 86_400;

export const USAGE_FIELDS = ['images', 'partials', 'requests', 'in', 'out', 'cost'] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];

export const storeKeys = {
  rpm: (name: string, now: number) => `rpm:${name}:${epochMinute(now)}`,
  authFailures: (address: string, now: number) => `authfail:${epochMinute(now)}:${address}`,
  images: (name: string, now: number) => `img:${name}:${utcDay(now)}`,
  usd: (name: string, month: string) => `usd:${name}:${month}`,
  usage: (name: string, month: string, field: UsageField) => `usage:${name}:${month}:${field}`,
  leases: (name: string) => `lease:${name}`,
  run: (name: string, id: string) => `run:${name}:${id}`,
  result: (name: string, id: string) => `result:${name}:${id}`,
  cancel: (name: string, id: string) => `cancel:${name}:${id}`,
  batch: (name: string, id: string) => `batch:${name}:${id}`,
  batchItem: (name: string, itemId: string) => `batchitem:${name}:${itemId}`,
  batchLock: (id: string) => `batchlock:${id}`,
  batchesOpen: () => 'batches:open',
  batchKey: (name: string, key: string) => `batchkey:${name}:${key}`,
  /** model: a catalog id (no ':'); quality: a tier */
  learnedRuns: (model: string, quality: string) => `learn:${model}:${quality}:runs`,
  learnedTokensPerMp: (model: string, quality: string) => `learn:${model}:${quality}:tpmp`,
};
