// The backend as one Web-standard Hono app: wiring only. Platform entries (Node, Workers,
// Vercel) go through createAppFromEnv (app-from-env.ts), which calls createApp(config, deps).
import { Hono } from 'hono';
import { createAuthenticator } from './http/middleware/auth';
import { limitBody } from './http/middleware/body-limit';
import type { BackendConfig } from './config/load-config';
import type { AppEnv, RequestState, RouteDeps } from './http/context';
import { REQUEST_ID_HEADER } from './contract';
import { applyCorsHeaders, preflightResponse } from './http/middleware/cors';
import { HttpError, internalError, methodNotAllowed, notFound } from './errors';
import { IdempotencyGate } from './results/idempotency';
import { jsonLogger, type Logger } from './http/request-log';
import { editsHandler } from './http/routes/edits';
import { generationsHandler } from './http/routes/generations';
import { resultDeleteHandler, resultsHandler } from './http/routes/results';
import { RunCancels } from './results/run-cancels';
import { usageHandler } from './http/routes/usage';
import { applySecurityHeaders } from './http/middleware/security-headers';
import { createOpenAIClient, type UpstreamFactory } from './upstream/client';
import { MemoryStore, type Store } from './store';
import { redact } from './upstream/to-http-error';

export interface AppDeps {
  /** builds the upstream OpenAI client (default: the official SDK) */
  upstream?: UpstreamFactory;
  /** fetch the default upstream client uses (default: globalThis.fetch) */
  fetch?: typeof fetch;
  /** receives one line per request (default: JSON on stdout) */
  logger?: Logger;
  /** milliseconds since the epoch (default: Date.now) */
  clock?: () => number;
  /** budgets, rate limits, usage and results (default: a MemoryStore on `clock`; the caller closes it) */
  store?: Store;
  /** operator warnings (default: console.warn) */
  warn?: (message: string) => void;
  /** default: req_ + a random UUID */
  newRequestId?: () => string;
  /** keep-alive comment interval on event streams (default 15 s) */
  keepaliveMs?: number;
}

/** JSON bodies (generations) never need more than this, whatever the request limit. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_KEEPALIVE_MS = 15_000;
/** A claim on an idempotent run outlives the run's longest possible time by this much. */
const CLAIM_MARGIN_SECONDS = 60;
/** A repeat waits for its running twin a little longer than the twin can take. */
const WAIT_MARGIN_MS = 5_000;

/** Paths the app serves and the methods each accepts (HEAD goes with GET). */
const ROUTES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^\/healthz$/, ['GET', 'HEAD']],
  [/^\/v1\/images\/generations$/, ['POST']],
  [/^\/v1\/images\/edits$/, ['POST']],
  [/^\/v1\/usage$/, ['GET', 'HEAD']],
  [/^\/v1\/results\/[^/]+$/, ['GET', 'HEAD', 'DELETE']],
];

const allowedMethods = (path: string) => ROUTES.find(([pattern]) => pattern.test(path))?.[1];

export function createApp(config: BackendConfig, deps: AppDeps = {}): Hono<AppEnv> {
  const logger = deps.logger ?? jsonLogger();
  const clock = deps.clock ?? Date.now;
  const newRequestId = deps.newRequestId ?? (() => `req_${crypto.randomUUID().replace(/-/g, '')}`);
  const authenticator = createAuthenticator(config.tokens);
  const store = deps.store ?? new MemoryStore({ now: clock });
  const warn = deps.warn ?? ((message: string) => console.warn(`Framefill: ${message}`));
  const claimTtlSeconds = Math.ceil(config.upstreamTimeoutMs / 1000) + CLAIM_MARGIN_SECONDS;
  const routeDeps: RouteDeps = {
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
    secrets: [config.openaiApiKey, ...config.tokens.map((t) => t.secret)],
    keepaliveMs: deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
  };

  const app = new Hono<AppEnv>();

  // Outermost: request id, CORS + security headers on every response, one log line.
  app.use('*', async (c, next) => {
    const state: RequestState = {
      requestId: newRequestId(),
      startedAt: clock(),
      token: null,
      clientSignal: c.req.raw.signal,
      log: {},
    };
    try {
      // Workers pass their ExecutionContext through app.fetch; elsewhere Hono's getter throws.
      const execution = c.executionCtx;
      state.waitUntil = (work) => execution.waitUntil(work);
    } catch {
      // Node: the process outlives the request, nothing to register.
    }
    c.set('state', state);
    await next();
    const headers = c.res.headers;
    applyCorsHeaders(headers);
    applySecurityHeaders(headers);
    headers.set(REQUEST_ID_HEADER, state.requestId);
    const status = c.res.status;
    const write = () => {
      try {
        logger({
          time: new Date(clock()).toISOString(),
          token: state.token,
          method: c.req.method,
          route: new URL(c.req.url).pathname.slice(0, 200),
          status,
          ms: Math.max(0, clock() - state.startedAt),
          cost_usd: state.log.cost_usd ?? 0,
          images: state.log.images ?? 0,
          request_id: state.requestId,
          ...state.log,
        });
      } catch {
        // A failing log sink must not fail (or crash) the request.
      }
    };
    if (state.done) {
      const logged = state.done.then(write, write);
      state.waitUntil?.(logged);
    } else write();
  });

  // Preflight for any path, before auth (browsers never send credentials on it).
  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') {
      return preflightResponse(c.req.header('access-control-request-headers') ?? null, c.req.header('access-control-request-private-network') === 'true');
    }
    await next();
  });

  // Known path, wrong method → 405 (before auth, so the answer does not depend on a token).
  app.use('*', async (c, next) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed && !allowed.includes(c.req.method)) throw methodNotAllowed(c.req.method, c.req.path, allowed.filter((m) => m !== 'HEAD'));
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.use('/v1/*', async (c, next) => {
    c.get('state').token = await authenticator.authenticate(c.req.header('authorization'));
    await next();
  });

  app.post('/v1/images/generations', limitBody(Math.min(config.maxRequestBytes, JSON_BODY_LIMIT_BYTES)), generationsHandler(routeDeps));
  app.post('/v1/images/edits', limitBody(config.maxRequestBytes), editsHandler(routeDeps));
  app.get('/v1/usage', usageHandler(routeDeps));
  app.get('/v1/results/:id', resultsHandler(routeDeps));
  app.delete('/v1/results/:id', resultDeleteHandler(routeDeps));

  app.notFound((c) => notFound(c.req.method, c.req.path).toResponse());

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      const state = c.get('state');
      if (state) state.log.error ??= err.code ?? err.type;
      return err.toResponse();
    }
    const state = c.get('state');
    if (state) state.log.error = 'internal_error';
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
    console.error(`[${state?.requestId ?? '-'}] unexpected ${redact(detail, routeDeps.secrets)}`);
    return internalError().toResponse();
  });

  return app;
}
