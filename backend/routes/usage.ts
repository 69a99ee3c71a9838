// GET /v1/usage — the caller's month-to-date figures (UTC month).
import type { Context } from 'hono';
import type { UsageSummary } from '../contract';
import type { AppEnv, RouteDeps } from '../context';
import { jsonResponse } from '../errors';
import { utcMonth } from '../usage-store';

export function usageHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const token = c.get('state').token ?? 'unknown';
    const month = utcMonth(deps.clock());
    const totals = await deps.usageStore.get(token, month);
    const summary: UsageSummary = { object: 'framefill.usage', token_name: token, month, ...totals, budget_usd: null };
    return jsonResponse(summary);
  };
}
