// Requests per minute per token, counted for every authenticated image request — valid or not,
// refused later or not — before its body is read: a refused request never gets its body parsed
// (it is drained unread, so the client sees the 429). A sliding window (sliding-window.ts) over
// the store's per-minute counters, so instances agree and no boundary lets twice the limit in.
import type { MiddlewareHandler } from 'hono';
import { limitsFor, type LimitsConfig } from '../../config/limits';
import { fromStoreFailure, rateLimitExceeded } from '../../errors';
import type { Store } from '../../store';
import { RPM_TTL_SECONDS, storeKeys } from '../../store/keys';
import type { AppEnv } from '../context';
import { drainUnread } from './body-limit';
import { currentWindowCapacity, secondsUntilCapacity } from './sliding-window';

/**
 * Counts one request for `name` if its per-minute limit allows it; otherwise returns the whole
 * seconds until it would. Store failures propagate.
 */
export async function countRequest(store: Store, name: string, rpm: number, now: number): Promise<{ ok: true } | { ok: false; wait: number }> {
  const previous = await store.get(storeKeys.rpm(name, now - 60_000));
  const minute = await store.reserve(storeKeys.rpm(name, now), 1, currentWindowCapacity(rpm, previous, now), RPM_TTL_SECONDS);
  return minute.ok ? { ok: true } : { ok: false, wait: secondsUntilCapacity(rpm, previous, minute.value, now) };
}

export function rateLimit(store: Store, limits: LimitsConfig, clock: () => number): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const name = c.get('state').token;
    const rpm = name === null ? null : limitsFor(limits, name).rpm;
    if (name !== null && rpm !== null) {
      const counted = await countRequest(store, name, rpm, clock()).catch((err: unknown) => {
        throw fromStoreFailure(err);
      });
      if (!counted.ok) {
        await drainUnread(c.req.raw);
        throw rateLimitExceeded(name, rpm, counted.wait);
      }
    }
    await next();
  };
}
