// The one way every platform entry (Node, Cloudflare Workers, Vercel) turns its environment
// into a running app, so no logic differs between platforms: the entries only adapt I/O.
import type { Hono } from 'hono';
import { createApp, type AppDeps } from '../app';
import { loadConfig, type BackendConfig, type Env } from '../config/load-config';
import type { AppEnv } from '../http/context';
import { createStoreFromEnv, type Store } from '../store';
import type { SpillArea } from '../store/spill-area';
import { settleOpenReservations } from '../accounting/reservation';
import { advanceBatches, type AdvanceReport } from '../batches/advance';
import { wireApp } from '../dependencies';

/** On close, how long calls that were just cut get to settle on their own before their reservations are given back. */
const SETTLE_WAIT_MS = 2_000;

export interface EnvApp {
  app: Hono<AppEnv>;
  config: BackendConfig;
  /** one line each, for whoever runs the backend */
  warnings: string[];
  /** where budgets, usage and results live (FRAMEFILL_STORE), or deps.store when given */
  store: Store;
  /**
   * Settles every reservation still open (so a stopped instance holds no budget), then releases
   * what the app holds (the store's connections, unless deps.store was given). Call it after the
   * server stopped taking requests.
   */
  close(): Promise<void>;
  /** advances every open overnight batch once (batches/advance.ts): the Node timer, the Worker's Cron Trigger and the Vercel cron route call it */
  advanceBatches(now: number): Promise<AdvanceReport>;
}

/**
 * The store FRAMEFILL_STORE names, with the configuration's caps on results and, for the memory
 * store, `openSpill`'s area for what they push out. (Tests and the bench build theirs this way too.)
 */
export function storeFromEnv(env: Env, config: BackendConfig, openSpill?: (dir: string | undefined) => Promise<SpillArea>): Promise<Store> {
  const spill = openSpill && config.resultSpill ? { open: () => openSpill(config.resultSpill?.dir), maxBytes: config.resultSpill.bytes } : undefined;
  return createStoreFromEnv(env, {
    memoryResultBytes: config.memoryResultBytes,
    ...(config.memoryResultBytesPerToken === undefined ? {} : { memoryResultBytesPerToken: config.memoryResultBytesPerToken }),
    ...(spill ? { spill } : {}),
  });
}

/**
 * Throws ConfigError (one-line message) when the environment, store settings included, is unusable.
 * `openSpill`: where the in-memory store may put results its memory cap pushes out (Node: a temp
 * directory, platform/disk-spill.ts); platforms without a disk give none.
 */
export async function createAppFromEnv(env: Env, deps: AppDeps = {}, openSpill?: (dir: string | undefined) => Promise<SpillArea>): Promise<EnvApp> {
  const { config, warnings } = loadConfig(env);
  const owned = deps.store === undefined;
  const store = deps.store ?? (await storeFromEnv(env, config, openSpill));
  try {
    const app = createApp(config, { ...deps, store });
    // The same wiring the routes get (one more upstream client), for work no request starts.
    const batchDeps = wireApp(config, { ...deps, store }).routes;
    let closed = false;
    return {
      app,
      config,
      warnings,
      store,
      advanceBatches: (now) => advanceBatches(batchDeps, now),
      close: async () => {
        if (closed) return;
        closed = true;
        await settleOpenReservations(store, SETTLE_WAIT_MS, deps.clock ?? Date.now);
        if (owned) await store.close();
      },
    };
  } catch (err) {
    if (owned) await store.close().catch(() => {});
    throw err;
  }
}
