// Per-request state shared by the middleware and the routes (Hono variables), and what the
// routes need from the app.
import type { PricesFor } from '../accounting/model-prices';
import type { BackendConfig } from '../config/load-config';
import type { EndUserIds } from './end-user-id';
import type { IdempotencyGate } from '../results/idempotency';
import type { LogDetails } from './request-log';
import type { RunCancels } from '../results/run-cancels';
import type { Store } from '../store';
import type { UpstreamClient } from '../upstream/client';
import type { ServerErrorLog } from './server-error-log';

export interface RequestState {
  requestId: string;
  startedAt: number;
  /** the caller's token name once authenticated */
  token: string | null;
  /** the client's connection signal, captured before any middleware swaps the Request */
  clientSignal: AbortSignal | undefined;
  log: LogDetails;
  /** set by streaming routes: the request is only over (and logged) when this settles */
  done?: Promise<void>;
  /**
   * Keeps work alive after the response is returned or the client has left (Cloudflare Workers'
   * `ctx.waitUntil`); absent where the process outlives requests anyway (Node).
   */
  waitUntil?: (work: Promise<unknown>) => void;
}

export type AppEnv = { Variables: { state: RequestState } };

export interface RouteDeps {
  config: BackendConfig;
  upstream: UpstreamClient;
  /** budgets, rate limits, usage and idempotent results: shared by every instance */
  store: Store;
  idempotency: IdempotencyGate;
  /** running idempotent calls, for DELETE /v1/results/{id} */
  cancels: RunCancels;
  clock: () => number;
  /** never sent to clients or logs */
  secrets: readonly string[];
  keepaliveMs: number;
  /** operator warnings (e.g. a result too big to keep); one line each */
  warn: (message: string) => void;
  /** server-side failures with their causes (5xx, lost usage records), one line each */
  logServerError: ServerErrorLog;
  /** a model's (or snapshot's) price book and auto tier, built once from the config */
  pricesFor: PricesFor;
  /** OpenAI's `user` for a token (and the client's own `user`, folded in): end-user-id.ts */
  endUserId: EndUserIds;
}
