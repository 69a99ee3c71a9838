// Per-token limits through the official SDK against the fake: requests per minute, images per
// day and a monthly budget, and 50 concurrent callers that cannot jointly overspend.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { usageSummarySchema } from '../contract';
import { UNLIMITED } from '../test-helpers/stack';
import { maxCostMicros } from '../pricing';
import { storeKeys, utcDay, utcMonth } from '../store/keys';
import { startStack, type Stack } from '../test-helpers/stack';
import { readUsage } from './usage-ledger';
import { concurrentSpend } from '../test-helpers/concurrent-spend';

const SECRETS = { rita: 'ff-rita-0123456789abcdef', dana: 'ff-dana-0123456789abcdef', bea: 'ff-bea-0123456789abcdefg', cole: 'ff-cole-0123456789abcdef' };
// 30 s into a minute, so the Retry-After of the per-minute limit is known exactly.
const NOW = Date.parse('2026-11-24T10:00:30Z');
const MONTH = utcMonth(NOW);
const LOW = { prompt: 'x', quality: 'low', size: '1024x1024' } as const;
/** What one LOW request reserves. */
const LOW_MAX = maxCostMicros({ ...LOW, n: 1 });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    config: {
      tokens: Object.entries(SECRETS).map(([name, secret]) => ({ name, secret })),
      limits: {
        defaults: UNLIMITED,
        perToken: {
          rita: { ...UNLIMITED, rpm: 3 },
          dana: { ...UNLIMITED, dailyImages: 3 },
          bea: { ...UNLIMITED, monthlyBudgetMicros: 3 * LOW_MAX + 100 },
          cole: { ...UNLIMITED, monthlyBudgetMicros: 50_000 },
        },
      },
    },
    deps: { clock: () => NOW },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const client = (name: keyof typeof SECRETS) => stack.client(SECRETS[name]);

async function refusal(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(err)}`);
  return err;
}

describe('per-token limits', () => {
  it('requests per minute: the 4th of 3 allowed gets 429 rate_limit_exceeded with Retry-After', async () => {
    for (let i = 0; i < 3; i++) await client('rita').images.generate(LOW);
    const err = await refusal(client('rita').images.generate(LOW));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    // Sliding window: 3 in this minute still weigh 2 until 20 s into the next one (30 + 20 s).
    expect(err.headers?.get('retry-after')).toBe('50');
    expect(err.message).toMatch(/Rate limit of 3 requests per minute for 'rita' reached/);
    expect(stack.fake.requests).toHaveLength(3);
    // Only rita is limited.
    await client('dana').images.generate(LOW);
  });

  it('images per day: a request that would pass the limit gets 429 daily_image_limit', async () => {
    await client('dana').images.generate({ ...LOW, n: 2 }); // 1 more from the test above makes 3
    const err = await refusal(client('dana').images.generate(LOW));
    expect(err.status).toBe(429);
    expect(err.code).toBe('daily_image_limit');
    expect(err.headers?.get('x-should-retry')).toBe('false');
    expect(Number(err.headers?.get('retry-after'))).toBe(14 * 3600 - 30);
    expect(await stack.store.get(storeKeys.images('dana', NOW))).toBe(3);
    expect(utcDay(NOW)).toBe('2026-11-24');
  });

  it('monthly budget: refused with 402 budget_exceeded once spent; /v1/usage shows spend and budget', async () => {
    for (let i = 0; i < 3; i++) await client('bea').images.generate(LOW);
    const err = await refusal(client('bea').images.generate(LOW));
    expect(err.status).toBe(402);
    expect(err.code).toBe('budget_exceeded');
    expect(err.type).toBe('insufficient_quota');
    expect(err.message).toMatch(/This request could cost up to \$0\.006\d+, more than the \$0\.00\d+ left of the \$0\.02 monthly budget for 'bea'/);
    expect(err.message).toMatch(/wait until 1 December \(UTC\)\.$/);
    expect(stack.fake.requests).toHaveLength(3);

    const res = await stack.fetch('/v1/usage', { headers: { authorization: `Bearer ${SECRETS.bea}` } });
    const summary = usageSummarySchema.parse(await res.json());
    const recorded = await readUsage(stack.store, 'bea', MONTH);
    expect(summary).toMatchObject({ token_name: 'bea', month: '2026-11', images: 3, requests: 3, budget_usd: (3 * LOW_MAX + 100) / 1e6 });
    expect(summary.cost_usd).toBe(recorded.cost_usd);
    expect(summary.cost_usd).toBeGreaterThan(0);
    // The refused request reserved nothing: the money counter is exactly what was spent.
    expect(await stack.store.get(storeKeys.usd('bea', MONTH))).toBe(Math.round(summary.cost_usd * 1e6));
  });

  it('/v1/usage reports budget_usd null when there is no budget', async () => {
    const summary = usageSummarySchema.parse(await (await stack.fetch('/v1/usage', { headers: { authorization: `Bearer ${SECRETS.rita}` } })).json());
    expect(summary.budget_usd).toBeNull();
  });

  it('50 concurrent callers on one small budget never spend more than it', async () => {
    const outcome = await concurrentSpend({ clients: [client('cole')], callers: 50, request: LOW });
    const spent = await stack.store.get(storeKeys.usage('cole', MONTH, 'cost'));
    expect(outcome.refusals.every((e) => e.status === 402 && e.code === 'budget_exceeded')).toBe(true);
    expect(outcome.succeeded + outcome.refusals.length).toBe(50);
    expect(outcome.succeeded).toBeGreaterThanOrEqual(Math.floor(50_000 / LOW_MAX));
    expect(outcome.refusals.length).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(50_000);
    // Nothing reserved is left behind, and only admitted requests reached OpenAI.
    expect(await stack.store.get(storeKeys.usd('cole', MONTH))).toBe(spent);
    expect(stack.fake.requests).toHaveLength(outcome.succeeded);
    expect((await readUsage(stack.store, 'cole', MONTH)).requests).toBe(outcome.succeeded);
  });
});
