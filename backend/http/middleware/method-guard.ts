// A known path asked with the wrong method gets 405 with `Allow`, before auth, so the answer
// does not depend on a token. Unknown paths fall through to the 404.
import type { MiddlewareHandler } from 'hono';
import { methodNotAllowed } from '../../errors';
import type { AppEnv } from '../context';

/** Paths and the methods each accepts (HEAD goes with GET). */
export type RouteTable = ReadonlyArray<readonly [RegExp, readonly string[]]>;

export function methodGuard(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async function methodGuard(c, next) {
    const allowed = routes.find(([pattern]) => pattern.test(c.req.path))?.[1];
    if (allowed && !allowed.includes(c.req.method)) throw methodNotAllowed(c.req.method, c.req.path, allowed.filter((m) => m !== 'HEAD'));
    await next();
  };
}
