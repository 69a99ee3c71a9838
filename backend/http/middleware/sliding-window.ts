// A per-minute limit as a sliding window, from two fixed one-minute counters (the store's `rpm:`
// windows): the previous minute's count weighted by the part of it still inside the last 60 s,
// plus this minute's. Fixed windows alone let twice the limit through across a boundary (all of
// one minute's at its end, all of the next's at its start); here the previous minute fades out
// over the current one. Pure, so the boundary is unit-tested with a fixed clock.
import { epochMinute, nextMinuteStart, secondsUntil } from '../../store/keys';

const MINUTE_MS = 60_000;

/** How far into its minute `now` is, 0 ≤ f < 1. */
function elapsed(now: number): number {
  return (now - epochMinute(now) * MINUTE_MS) / MINUTE_MS;
}

/**
 * The most the current minute's counter may reach for one more request to stay within `limit`
 * over the last 60 s: limit − previous × (part of the previous minute still in the window).
 * Reserving 1 against it in the store (`reserve(key, 1, capacity)`) is the whole check.
 */
export function currentWindowCapacity(limit: number, previous: number, now: number): number {
  return Math.max(0, Math.floor(limit - previous * (1 - elapsed(now))));
}

/**
 * Whole seconds until one more request would be let in, with no other traffic meanwhile: later
 * this minute once enough of the previous one has faded, or in the next minute once enough of
 * this one has.
 */
export function secondsUntilCapacity(limit: number, previous: number, current: number, now: number): number {
  const start = epochMinute(now) * MINUTE_MS;
  let at: number;
  if (current + 1 <= limit) {
    // previous × (1 − f) ≤ limit − current − 1
    at = start + MINUTE_MS * (previous > 0 ? 1 - (limit - current - 1) / previous : 0);
  } else {
    // next minute: current × (1 − f) ≤ limit − 1
    at = nextMinuteStart(now) + MINUTE_MS * (current > 0 ? Math.max(0, 1 - (limit - 1) / current) : 0);
  }
  return secondsUntil(now, at);
}
