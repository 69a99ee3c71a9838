// Month-to-date usage per access token. Async so a shared store (Redis, KV) can replace the
// in-memory one without touching callers.
import { roundUsd } from './pricing';

export interface UsageTotals {
  images: number;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface UsageStore {
  /** adds `delta` to the totals of `tokenName` in `month` ("YYYY-MM", UTC) */
  record(tokenName: string, month: string, delta: UsageTotals): Promise<void>;
  get(tokenName: string, month: string): Promise<UsageTotals>;
}

export const emptyTotals = (): UsageTotals => ({ images: 0, requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 });

export function addTotals(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    images: a.images + b.images,
    requests: a.requests + b.requests,
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cost_usd: roundUsd(a.cost_usd + b.cost_usd),
  };
}

/** "YYYY-MM" of a millisecond timestamp, in UTC. */
export function utcMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Lives as long as the process: fine for one Node server, lost on restart. */
export class MemoryUsageStore implements UsageStore {
  private readonly totals = new Map<string, UsageTotals>();

  async record(tokenName: string, month: string, delta: UsageTotals): Promise<void> {
    const key = `${month}\u0000${tokenName}`;
    this.totals.set(key, addTotals(this.totals.get(key) ?? emptyTotals(), delta));
  }

  async get(tokenName: string, month: string): Promise<UsageTotals> {
    return { ...(this.totals.get(`${month}\u0000${tokenName}`) ?? emptyTotals()) };
  }
}
