// GET /v1/usage — the caller's month-to-date figures (UTC month) from the shared store, and
// their monthly budget.
import type { Context } from 'hono';
import type { UsageSummary } from '../../contract';
import type { AppEnv, RouteDeps } from '../context';
import { jsonResponse } from '../../errors';
import { storeUnavailable } from '../../accounting/limit-errors';
import { limitsFor } from '../../config/limits';
import { fromMicros } from '../../pricing';
import { utcMonth } from '../../store/keys';
import { readUsage } from '../../accounting/usage-ledger';

export function usageHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const token = c.get('state').token ?? 'unknown';
    const month = utcMonth(deps.clock());
    const totals = await readUsage(deps.store, token, month).catch(() => {
      throw storeUnavailable();
    });
    const budget = limitsFor(deps.config.limits, token).monthlyBudgetMicros;
    const summary: UsageSummary = { object: 'framefill.usage', token_name: token, month, ...totals, budget_usd: budget === null ? null : fromMicros(budget) };
    return jsonResponse(summary);
  };
}
