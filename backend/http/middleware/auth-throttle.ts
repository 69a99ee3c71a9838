// Slows down guessing access tokens: each client address may fail authentication a number of
// times per minute (sliding window, sliding-window.ts); past that, its requests are refused with
// 429 before any token is checked — a right guess would pass otherwise — until it slows down.
// Counted in the shared store (storeKeys.authFailures), so every instance sees the same failures.
import type { Store } from '../../store';
import { RPM_TTL_SECONDS, storeKeys } from '../../store/keys';
import { fromStoreFailure, tooManyAuthFailures } from '../../errors';
import { currentWindowCapacity, secondsUntilCapacity } from './sliding-window';

const failureKey = storeKeys.authFailures;

export interface AuthThrottle {
  /** throws the 429 when `address` has failed too often lately */
  check(address: string): Promise<void>;
  /** counts one failed authentication from `address` */
  failed(address: string): Promise<void>;
}

export function authThrottle(store: Store, perMinute: number, clock: () => number): AuthThrottle {
  return {
    async check(address) {
      const now = clock();
      const [previous, current] = await store.getMany([failureKey(address, now - 60_000), failureKey(address, now)]).catch((err: unknown) => {
        throw fromStoreFailure(err);
      });
      if (current! + 1 > currentWindowCapacity(perMinute, previous!, now)) {
        throw tooManyAuthFailures(secondsUntilCapacity(perMinute, previous!, current!, now));
      }
    },
    async failed(address) {
      await store.add(failureKey(address, clock()), 1, RPM_TTL_SECONDS).catch((err: unknown) => {
        throw fromStoreFailure(err);
      });
    },
  };
}
