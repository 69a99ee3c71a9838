// GET /v1/results/{id} — the stored result of an idempotent request, to the token that made it
// only. Another token's id reads as unknown (404, not 403), so ids reveal nothing.
import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { HttpError, invalidRequest, jsonResponse } from '../errors';
import { isValidResultId } from '../idempotency';
import { storeUnavailable } from '../limit-errors';
import { replayJson } from '../replay';
import { readResult } from '../result-store';

/** How often a panel should look again while a result is still running. */
const POLL_AFTER_SECONDS = 2;

const unknownResult = (id: string) =>
  new HttpError(404, `No result with id ${id}: it never existed for this token, failed, or expired.`, { code: 'not_found', param: 'id' });

export function resultsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const token = c.get('state').token ?? 'unknown';
    const id = c.req.param('id') ?? '';
    if (!isValidResultId(id)) throw invalidRequest("The result id must be the request's Idempotency-Key: 1-100 letters, digits, '_', '.', ':' or '-'.", 'id');
    const [stored, running] = await Promise.all([readResult(deps.store, token, id), deps.idempotency.isRunning(token, id)]).catch(() => {
      throw storeUnavailable();
    });
    if (stored) return replayJson(stored, 404);
    if (running) {
      return jsonResponse({ object: 'framefill.result', status: 'in_progress', id }, 202, { 'retry-after': String(POLL_AFTER_SECONDS) });
    }
    throw unknownResult(id);
  };
}
