// The backend as one Web-standard Hono app, read top to bottom: the middlewares every request
// passes, then the routes (each a sub-app under http/routes/), then the two fallbacks. Platform
// entries (Node, Workers, Vercel) build it through platform/app-from-env.ts.
import { Hono } from 'hono';
import { intakeDefaults, type BackendConfig } from './config/load-config';
import { wireApp, type AppDeps } from './dependencies';
import type { AppEnv } from './http/context';
import { authenticate } from './http/middleware/auth';
import { authThrottle } from './http/middleware/auth-throttle';
import { preflight } from './http/middleware/cors';
import { errorResponse, unknownUrl } from './http/middleware/error-response';
import { intake } from './http/middleware/intake';
import { methodGuard, type RouteTable } from './http/middleware/method-guard';
import { rateLimit } from './http/middleware/rate-limit';
import { requestState } from './http/middleware/request-state';
import { responseHeaders } from './http/middleware/response-headers';
import { requestLog } from './http/request-log';
import { imageRoutes } from './http/routes/images';
import { modelRoutes } from './http/routes/models';
import { resultRoutes } from './http/routes/results';
import { batchRoutes } from './http/routes/batches';
import { BATCHES_PATH } from './contract';
import { usageRoutes } from './http/routes/usage';

export type { AppDeps } from './dependencies';

/** Paths the app serves and the methods each accepts (HEAD goes with GET). */
const ROUTES: RouteTable = [
  [/^\/healthz$/, ['GET', 'HEAD']],
  [/^\/v1\/images\/generations$/, ['POST']],
  [/^\/v1\/images\/edits$/, ['POST']],
  [/^\/v1\/models$/, ['GET', 'HEAD']],
  [/^\/v1\/models\/[^/]+$/, ['GET', 'HEAD']],
  [/^\/v1\/usage$/, ['GET', 'HEAD']],
  [/^\/v1\/results\/[^/]+$/, ['GET', 'HEAD', 'DELETE']],
  // Overnight batches (issue 16)
  [/^\/v1\/framefill\/batches$/, ['POST']],
  [/^\/v1\/framefill\/batches\/[^/]+$/, ['GET', 'HEAD', 'DELETE']],
];

export function createApp(config: BackendConfig, deps: AppDeps = {}): Hono<AppEnv> {
  const { routes, logger, clock, newRequestId } = wireApp(config, deps);
  const caps = config.intake ?? intakeDefaults(config.maxRequestBytes);
  return new Hono<AppEnv>()
    .use(requestState(newRequestId, clock))
    .use(requestLog(logger, clock, routes.secrets))
    .use(responseHeaders())
    .use(preflight())
    .use(methodGuard(ROUTES))
    .get('/healthz', (c) => c.json({ ok: true }))
    .use('/v1/*', authenticate(config.tokens, authThrottle(routes.store, caps.authFailuresPerMinute, clock)))
    // Before any body is read: every image request counts against its token's rate, and every
    // request takes a place (and its body's bytes) among those in flight — or gets 429.
    .use('/v1/images/*', rateLimit(routes.store, config.limits, clock))
    // A batch submission counts as one request of its token's rate (its items are priced and reserved, not rate-limited).
    .use(BATCHES_PATH, rateLimit(routes.store, config.limits, clock))
    .use('/v1/*', intake(caps, config.maxRequestBytes))
    .route('/v1/images', imageRoutes(routes))
    .route('/v1/models', modelRoutes(routes))
    .route('/v1/usage', usageRoutes(routes))
    .route('/v1/results', resultRoutes(routes))
    .route(BATCHES_PATH, batchRoutes(routes))
    .notFound(unknownUrl)
    .onError(errorResponse(routes.logServerError));
}
