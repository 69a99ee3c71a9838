// One JSON line per request, with the caller's name, cost and images — and no secrets or
// prompts unless the operator asked for prompts.
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costFromUsage, type ImageUsage } from '../pricing';
import type { AppEnv } from './context';
import { requestLog, type LogDetails, type RequestLogLine } from './request-log';
import { ALICE_SECRET, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.logText.length = 0;
});

describe('request log', () => {
  it('writes one line per request with token name, route, status, ms, cost, images and request id', async () => {
    const { data, response } = await stack.client().images.generate({ prompt: 'secret plans for a fox', quality: 'low', n: 2 }).withResponse();
    await fetch(`${stack.url}/healthz`);
    const logs = await stack.waitForLogs(2);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({
      token: 'alice',
      method: 'POST',
      route: '/v1/images/generations',
      status: 200,
      cost_usd: costFromUsage(data.usage as ImageUsage),
      images: 2,
      request_id: response.headers.get('x-request-id'),
      model: 'gpt-image-2',
      stream: false,
    });
    expect(typeof logs[0]!.ms).toBe('number');
    expect(Date.parse(logs[0]!.time)).not.toBeNaN();
    expect(logs[0]!.upstream_request_id).toMatch(/^req_/);
    expect(logs[1]).toMatchObject({ token: null, route: '/healthz', status: 200, cost_usd: 0, images: 0 });
    expect(stack.logText.join('\n')).not.toContain('secret plans');
    expect(stack.logText.join('\n')).not.toContain(ALICE_SECRET);
  });

  it('logs a stream when it ends, with its cost', async () => {
    const stream = await stack.client().images.generate({ prompt: 'p', quality: 'low', stream: true, partial_images: 1 });
    let cost = 0;
    for await (const e of stream) if (e.type === 'image_generation.completed') cost = costFromUsage(e.usage);
    const logs = await stack.waitForLogs(1);
    expect(logs[0]).toMatchObject({ status: 200, stream: true, images: 1, cost_usd: cost });
    expect(cost).toBeGreaterThan(0);
  });

  it('logs refused requests without a token name and with the error code', async () => {
    await fetch(`${stack.url}/v1/usage`, { headers: { authorization: 'Bearer nope-nope-nope' } });
    const logs = await stack.waitForLogs(1);
    expect(logs[0]).toMatchObject({ token: null, status: 401, error: 'invalid_api_key' });
    expect(stack.logText[0]).not.toContain('nope-nope');
  });

  it('includes prompts only with FRAMEFILL_LOG_PROMPTS=1', async () => {
    const local = await startStack({ config: { logPrompts: true } });
    try {
      await local.client().images.generate({ prompt: 'a fox, logged on purpose', quality: 'low' });
      const logs = await local.waitForLogs(1);
      expect(logs[0]!.prompt).toBe('a fox, logged on purpose');
    } finally {
      await local.close();
    }
  });
});

describe('request log scrubbing', () => {
  const KEY = 'sk-proj-logTest7Hq4Tz8Wm2Rk6Yp0Lx3Nv7Bc5';
  /** One request through requestLog, its handler having put `details` in the log. */
  async function lineFor(path: string, details: LogDetails): Promise<RequestLogLine> {
    const lines: RequestLogLine[] = [];
    const app = new Hono<AppEnv>()
      .use(async (c, next) => {
        c.set('state', { requestId: 'req_1', startedAt: 0, token: 'alice', clientSignal: undefined, log: {} });
        await next();
      })
      .use(requestLog((line) => lines.push(line), () => 0, [KEY]))
      .all('*', (c) => {
        Object.assign(c.get('state').log, details);
        return c.text('ok');
      });
    await app.request(path);
    return lines[0]!;
  }

  it('redacts pieces of a secret from the route and prompt, and drops an upstream id or code that holds one', async () => {
    const line = await lineFor(`/v1/results/${KEY.slice(3, 30)}`, {
      upstream_request_id: `req_${KEY.slice(8)}`,
      error: KEY,
      prompt: `a fox ${KEY}`,
    });
    expect(JSON.stringify(line)).not.toMatch(/logTest7Hq4T|Tz8Wm2Rk6Yp0/);
    expect(line).toMatchObject({ route: '/v1/results/[redacted]', upstream_request_id: null, error: 'unprintable_error_code', prompt: 'a fox [redacted]' });
  });

  it('keeps clean ids as they are', async () => {
    const line = await lineFor('/v1/images/generations', { upstream_request_id: 'req_0f3a', error: 'rate_limit_exceeded' });
    expect(line).toMatchObject({ route: '/v1/images/generations', upstream_request_id: 'req_0f3a', error: 'rate_limit_exceeded' });
  });
});
