// What the app is built from: the configuration plus injectable dependencies (tests swap the
// clock, the store, the loggers; the bench and platforms take the defaults). Turns them into the
// RouteDeps every route shares.
import { modelPrices } from './accounting/model-prices';
import { secretsOf, type BackendConfig } from './config/load-config';
import { endUserIds } from './http/end-user-id';
import type { RouteDeps } from './http/context';
import { jsonLogger, type Logger } from './http/request-log';
import { serverErrorLog } from './http/server-error-log';
import { IdempotencyGate } from './results/idempotency';
import { RunCancels } from './results/run-cancels';
import { MemoryStore, type Store } from './store';
import { createOpenAIClient, type UpstreamFactory } from './upstream/client';

export interface AppDeps {
  /** builds the upstream OpenAI client (default: the official SDK) */
  upstream?: UpstreamFactory;
  /** fetch the default upstream client uses (default: globalThis.fetch) */
  fetch?: typeof fetch;
  /** receives one line per request (default: JSON on stdout) */
  logger?: Logger;
  /** receives one line per server-side failure, causes included, secrets redacted (default: console.error) */
  errorLog?: (line: string) => void;
  /** milliseconds since the epoch (default: Date.now) */
  clock?: () => number;
  /** budgets, rate limits, usage and results (default: a MemoryStore on `clock` capped at FRAMEFILL_MEMORY_RESULT_BYTES, and per token; the caller closes it) */
  store?: Store;
  /** operator warnings (default: console.warn) */
  warn?: (message: string) => void;
  /** default: req_ + a random UUID */
  newRequestId?: () => string;
  /** keep-alive comment interval on event streams (default 15 s) */
  keepaliveMs?: number;
}

const DEFAULT_KEEPALIVE_MS = 15_000;
/** A claim on an idempotent run outlives the run's longest possible time by this much. */
const CLAIM_MARGIN_SECONDS = 60;
/** A repeat waits for its running twin a little longer than the twin can take. */
const WAIT_MARGIN_MS = 5_000;

export interface AppWiring {
  routes: RouteDeps;
  logger: Logger;
  clock: () => number;
  newRequestId: () => string;
}

export function wireApp(config: BackendConfig, deps: AppDeps): AppWiring {
  const clock = deps.clock ?? Date.now;
  const store = deps.store ?? new MemoryStore({
    now: clock,
    maxEvictableBytes: config.memoryResultBytes,
    maxEvictableBytesPerGroup: config.memoryResultBytesPerToken ?? config.memoryResultBytes,
  });
  const warn = deps.warn ?? ((message: string) => console.warn(`Framefill: ${message}`));
  const secrets = secretsOf(config);
  const claimTtlSeconds = Math.ceil(config.upstreamTimeoutMs / 1000) + CLAIM_MARGIN_SECONDS;
  const routes: RouteDeps = {
    config,
    upstream: (deps.upstream ?? createOpenAIClient)({
      apiKey: config.openaiApiKey,
      baseURL: config.openaiBaseUrl,
      timeoutMs: config.upstreamTimeoutMs,
      maxRetries: config.upstreamRetries,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
    store,
    idempotency: new IdempotencyGate(store, {
      ttlSeconds: config.resultTtlSeconds,
      maxBytes: config.maxResultBytes,
      claimTtlSeconds,
      waitMs: config.upstreamTimeoutMs + WAIT_MARGIN_MS,
      warn,
    }),
    cancels: new RunCancels(store, { flagTtlSeconds: claimTtlSeconds }),
    clock,
    warn,
    secrets,
    keepaliveMs: deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
    logServerError: serverErrorLog(secrets, deps.errorLog),
    pricesFor: modelPrices(config),
    endUserId: endUserIds(config.openaiApiKey, config.userIdSecret),
  };
  return {
    routes,
    logger: deps.logger ?? jsonLogger(),
    clock,
    newRequestId: deps.newRequestId ?? (() => `req_${crypto.randomUUID().replace(/-/g, '')}`),
  };
}
