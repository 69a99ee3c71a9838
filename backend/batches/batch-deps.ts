// What batches need from the app: a structural subset of the routes' RouteDeps (http/context.ts),
// so the platform entries can advance batches with the same wiring.
import type { PricesFor } from '../accounting/model-prices';
import type { BackendConfig } from '../config/load-config';
import type { Store } from '../store';
import type { UpstreamClient } from '../upstream/client';

export interface BatchDeps {
  config: BackendConfig;
  upstream: UpstreamClient;
  store: Store;
  /** never in an error or a log */
  secrets: readonly string[];
  pricesFor: PricesFor;
  warn: (message: string) => void;
  /** OpenAI's `user` for a token (http/end-user-id.ts) */
  endUserId: (tokenName: string, clientUser?: string) => Promise<string>;
  /** server-side failures with their causes */
  logServerError: (requestId: string, err: unknown, what?: string) => void;
}
