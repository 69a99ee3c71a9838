// GET /v1/usage — the caller's month-to-date figures (UTC month) from the shared store, and
// their monthly budget.
import { Hono, type Context } from 'hono';
import type { UsageSummary } from '../../contract';
import type { AppEnv, RouteDeps } from '../context';
import { fromStoreFailure, jsonResponse } from '../../errors';
import { limitsFor } from '../../config/limits';
import { fromMicros } from '../../pricing';
import { utcMonth } from '../../store/keys';
import { readUsage } from '../../accounting/usage-ledger';

/** GET /v1/usage. */
export function usageRoutes(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', usageHandler(deps));
}

function usageHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const token = c.get('state').token ?? 'unknown';
    const month = utcMonth(deps.clock());
    const totals = await readUsage(deps.store, token, month).catch((err: unknown) => {
      throw fromStoreFailure(err);
    });
    const budget = limitsFor(deps.config.limits, token).monthlyBudgetMicros;
    const summary: UsageSummary = { object: 'framefill.usage', token_name: token, month, ...totals, budget_usd: budget === null ? null : fromMicros(budget) };
    return jsonResponse(summary);
  };
}
