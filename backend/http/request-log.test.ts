// One JSON line per request, with the caller's name, cost and images — and no secrets or
// prompts unless the operator asked for prompts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costFromUsage, type ImageUsage } from '../pricing';
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
