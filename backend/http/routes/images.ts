// /v1/images — OpenAI's Images API: generations (JSON) and edits (multipart), each behind a body
// limit enforced while the body streams in.
import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { limitBody } from '../middleware/body-limit';
import { editsHandler } from './edits';
import { generationsHandler } from './generations';

/** JSON bodies (generations) never need more than this, whatever the request limit. */
const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

export function imageRoutes(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/generations', limitBody(Math.min(deps.config.maxRequestBytes, JSON_BODY_LIMIT_BYTES)), generationsHandler(deps))
    .post('/edits', limitBody(deps.config.maxRequestBytes), editsHandler(deps));
}
