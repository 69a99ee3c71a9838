// The OpenAI key never leaves the backend: run a broad set of requests (successes, streams,
// edits, refusals, validation errors, upstream faults) with a canary key and look for it in
// every response body, header, SSE event and log line.
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, gradient, pngOf } from '../../test/support/images';
import { UNLIMITED } from '../test-helpers/stack';
import { ALICE_SECRET, BOB_SECRET, editForm, startStack, type Stack } from '../test-helpers/stack';

const CANARY = 'sk-canary-7f3a9c2e4b1d8f6a0c5e9b3d7a1f4c8e';
const CAROL_SECRET = 'ff-carol-5a5a5a5a5a5a5a5a';

// The 2 s upstream timeout keeps the hang fault short.
let stack: Stack;
const seen: string[] = [];

async function capture(res: Response): Promise<void> {
  for (const [name, value] of res.headers) seen.push(`${name}: ${value}`);
  seen.push(await res.text());
}

beforeAll(async () => {
  stack = await startStack({
    fake: { apiKey: CANARY },
    config: {
      openaiApiKey: CANARY,
      upstreamTimeoutMs: 2_000,
      tokens: [{ name: 'alice', secret: ALICE_SECRET }, { name: 'bob', secret: BOB_SECRET }, { name: 'carol', secret: CAROL_SECRET }],
      // bob: one request a minute and one image a day; carol: a budget smaller than any request.
      limits: { defaults: UNLIMITED, perToken: { bob: { rpm: 2, dailyImages: 1, monthlyBudgetMicros: null }, carol: { ...UNLIMITED, monthlyBudgetMicros: 1 } } },
    },
  });
});
afterAll(() => stack.close());

const json = (body: unknown, headers: Record<string, string> = {}) =>
  stack.fetch('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('canary OpenAI key', () => {
  it('appears in no response, header, SSE event or log line', async () => {
    await capture(await json({ prompt: 'ok', quality: 'low' }));
    await capture(await json({ prompt: 'stream', quality: 'low', stream: true, partial_images: 2 }));
    await capture(await stack.fetch('/v1/images/edits', {
      method: 'POST',
      body: editForm({ prompt: 'edit', quality: 'low', stream: 'true', partial_images: '1' }, [
        { field: 'image[]', bytes: pngOf(256, 256, 1) },
        { field: 'image[]', bytes: pngOf(256, 256, 2) },
        { field: 'mask', bytes: encodePng(gradient(256, 256, 3, 0)) },
      ]),
    }));
    await capture(await json({ prompt: 'x' }, { authorization: 'Bearer wrong' }));
    await capture(await json({ prompt: 'x' }, { authorization: '' }));
    await capture(await json({ prompt: '', quality: 'ultra' }));
    await capture(await json({ prompt: 'x', model: 'gpt-image-1' }));
    await capture(await stack.fetch('/v1/usage'));
    // Idempotent runs and their results: stored, replayed (JSON and stream), pending, unknown, another token's.
    await capture(await json({ prompt: 'keyed', quality: 'low' }, { 'idempotency-key': 'canary-1' }));
    await capture(await json({ prompt: 'keyed', quality: 'low' }, { 'idempotency-key': 'canary-1' }));
    await capture(await json({ prompt: 'keyed', quality: 'low', stream: true }, { 'idempotency-key': 'canary-1' }));
    await capture(await json({ prompt: 'other', quality: 'low' }, { 'idempotency-key': 'canary-1' }));
    await capture(await json({ prompt: 'keyed', quality: 'low' }, { 'idempotency-key': 'bad key' }));
    await capture(await stack.fetch('/v1/results/canary-1'));
    await capture(await stack.fetch('/v1/results/canary-unknown'));
    await capture(await stack.fetch('/v1/results/canary-1', { headers: { authorization: `Bearer ${BOB_SECRET}` } }));
    // Cancelling and forgetting: another token's DELETE, a stored result, an unknown id, and a
    // running call cancelled mid-flight (its own answer is scanned too).
    await capture(await stack.fetch('/v1/results/canary-1', { method: 'DELETE', headers: { authorization: `Bearer ${BOB_SECRET}` } }));
    await capture(await stack.fetch('/v1/results/canary-1', { method: 'DELETE' }));
    await capture(await stack.fetch('/v1/results/canary-unknown', { method: 'DELETE' }));
    stack.fake.setFault({ kind: 'hang' }, 1);
    const running = json({ prompt: 'keyed', quality: 'low' }, { 'idempotency-key': 'canary-2' });
    for (let i = 0; i < 100 && !stack.fake.requests.some((r) => r.fields.prompt === 'keyed' && r.status === undefined); i++) await new Promise((r) => setTimeout(r, 10));
    const cancelled = await stack.fetch('/v1/results/canary-2', { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    await capture(cancelled);
    await capture(await running);
    // Limits: bob's daily image limit, then his per-minute limit; carol's budget.
    const asBob = { authorization: `Bearer ${BOB_SECRET}` };
    await capture(await json({ prompt: 'bob', quality: 'low' }, asBob));
    await capture(await json({ prompt: 'bob', quality: 'low' }, asBob));
    await capture(await json({ prompt: 'bob', quality: 'low' }, asBob));
    await capture(await json({ prompt: 'carol', quality: 'low' }, { authorization: `Bearer ${CAROL_SECRET}` }));
    await capture(await stack.fetch('/v1/usage', { headers: { authorization: `Bearer ${CAROL_SECRET}` } }));
    await capture(await stack.fetch('/nope'));
    await capture(await fetch(`${stack.url}/v1/images/generations`, { method: 'OPTIONS', headers: { origin: 'null', 'access-control-request-method': 'POST' } }));
    for (const fault of [
      { kind: 'rate_limit', retryAfterSeconds: 3 },
      { kind: 'server_error' },
      { kind: 'unavailable' },
      { kind: 'moderation_blocked' },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'invalid_json' },
    ] as const) {
      stack.fake.setFault(fault, 1);
      await capture(await json({ prompt: 'fault', quality: 'low' }));
    }
    for (const fault of [{ kind: 'truncated_stream' }, { kind: 'invalid_json' }] as const) {
      stack.fake.setFault(fault, 1);
      await capture(await json({ prompt: 'fault', quality: 'low', stream: true, partial_images: 1 }));
    }
    // The SDK as a client too (its errors carry headers and bodies).
    const stream = await stack.client().images.edit({ image: await toFile(pngOf(256, 256), 'a.png'), prompt: 'sdk', stream: true });
    for await (const event of stream) seen.push(JSON.stringify(event));

    const logs = await stack.waitForLogs(38);
    expect(logs.length).toBe(38);
    // The refusals really happened (so their bodies were scanned).
    expect(logs.map((l) => l.error)).toEqual(expect.arrayContaining(['budget_exceeded', 'daily_image_limit', 'rate_limit_exceeded', 'idempotency_key_reused', 'not_found', 'request_cancelled']));
    expect(seen.length).toBeGreaterThan(100);
    // Sanity: the requests really reached the fake with the canary (it only accepts that key).
    expect(stack.fake.requests.filter((r) => r.authorized).length).toBeGreaterThanOrEqual(10);
    // The upstream faults were logged as server errors, with their causes (so those were scanned too).
    expect(stack.errorLines.some((line) => / 50\d upstream_/.test(line) && line.includes(' ← '))).toBe(true);
    const everything = [...seen, ...stack.logText, ...stack.errorLines].join('\n');
    expect(everything).toContain('image_generation.completed');
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(CANARY.slice(-12));
    // Nor do the client secrets appear in any log line.
    for (const secret of [ALICE_SECRET, BOB_SECRET, CAROL_SECRET]) expect([...stack.logText, ...stack.errorLines].join('\n')).not.toContain(secret);
  });
});
