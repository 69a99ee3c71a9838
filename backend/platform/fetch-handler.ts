// The one request path of the serverless entries (Cloudflare Workers, Vercel): build the app from
// the platform's environment with createAppFromEnv — once per environment, not per request, so
// in-memory state and connections live as long as the isolate — and hand it each Web Request.
// Nothing here knows which platform it runs on, so both platforms behave the same.
import type { ExecutionContext } from 'hono';
import { createAppFromEnv, type EnvApp } from './app-from-env';
import type { Env } from '../config/load-config';
import { applyCorsHeaders } from '../http/middleware/cors';
import { backendMisconfigured, ConfigError, HttpError } from '../errors';
import { BATCH_CRON_PATH, cronAuthorized } from './batch-cron';

/** The cron route without the right CRON_SECRET (or with none configured): refused, saying nothing more. */
function cronRefused(): Response {
  return new HttpError(401, 'This path is for the deployment\'s scheduler: send Authorization: Bearer <CRON_SECRET>.', { code: 'invalid_api_key' }).toResponse();
}

export type FetchHandler = (request: Request, env: object, ctx?: ExecutionContext) => Promise<Response>;

/** Platform environments may hold non-string bindings (KV, JSON vars); the config reads strings only. */
function stringEnv(env: object): Env {
  const out: Env = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') out[key] = value;
  return out;
}

/**
 * When the environment is unusable every request gets this 500 (with CORS, so the panel can show
 * it) and the reason goes to the platform's log: the reason names settings, which callers need
 * not see.
 */
function notStarted(err: unknown): Response {
  const reason = err instanceof Error ? err.message : String(err);
  console.error(`Framefill backend not started: ${reason}`);
  const response = backendMisconfigured(err).toResponse();
  applyCorsHeaders(response.headers);
  return response;
}

export interface PlatformHandlers {
  /** every request, the batch cron route (BATCH_CRON_PATH, Bearer CRON_SECRET) included */
  fetch: FetchHandler;
  /** a scheduled run (Cloudflare Cron Trigger): advances the overnight batches once; logs, never throws */
  scheduled(env: object, now: number): Promise<void>;
}

export function createFetchHandler(create: (env: Env) => Promise<EnvApp> = createAppFromEnv): FetchHandler {
  return createPlatformHandlers(create).fetch;
}

export function createPlatformHandlers(create: (env: Env) => Promise<EnvApp> = createAppFromEnv): PlatformHandlers {
  const apps = new WeakMap<object, Promise<EnvApp>>();
  const appFor = (env: object): Promise<EnvApp> => {
    let pending = apps.get(env);
    if (!pending) {
      pending = create(stringEnv(env)).then((built) => {
        for (const warning of built.warnings) console.warn(`Warning: ${warning}`);
        return built;
      });
      apps.set(env, pending);
      // A bad configuration stays bad until the next deploy; anything else is retried next request.
      pending.catch((err: unknown) => {
        if (!(err instanceof ConfigError)) apps.delete(env);
      });
    }
    return pending;
  };
  const fetch: FetchHandler = async (request, env, ctx) => {
    let built: EnvApp;
    try {
      built = await appFor(env);
    } catch (err) {
      return notStarted(err);
    }
    // Vercel Cron (and any scheduler that can only call a URL) advances the overnight batches here.
    if (new URL(request.url).pathname === BATCH_CRON_PATH) {
      if (!(await cronAuthorized(request, stringEnv(env).CRON_SECRET))) return cronRefused();
      return Response.json(await built.advanceBatches(Date.now()));
    }
    return built.app.fetch(request, undefined, ctx);
  };
  const scheduled = async (env: object, now: number): Promise<void> => {
    try {
      const report = await (await appFor(env)).advanceBatches(now);
      console.log(JSON.stringify({ scheduled: 'batches', ...report }));
    } catch (err) {
      console.error(`Framefill: batches not advanced: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return { fetch, scheduled };
}
