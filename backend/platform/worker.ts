// Cloudflare Workers entry: `env` holds the vars and secrets (wrangler.toml, `wrangler secret put`).
// Built by scripts/build-backend.mjs (redis-store swapped for redis-store-stub: no TCP here).
import type { ExecutionContext } from 'hono';
import { createPlatformHandlers } from './fetch-handler';

const handlers = createPlatformHandlers();

export default {
  // `ctx` reaches the app as Hono's executionCtx: its waitUntil keeps a keyed call (and the
  // accounting of any call) alive after the client has gone (backend/app.ts).
  fetch: (request: Request, env: object, ctx: ExecutionContext): Promise<Response> => handlers.fetch(request, env, ctx),
  // A Cron Trigger (wrangler.toml [triggers] crons) advances the overnight batches (issue 16).
  scheduled: (controller: { scheduledTime: number }, env: object, ctx: ExecutionContext): void => ctx.waitUntil(handlers.scheduled(env, controller.scheduledTime)),
};
