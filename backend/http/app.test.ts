// The HTTP surface around the image calls: auth, CORS, security headers, 404/405, body limits,
// /healthz and /v1/usage.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pngOf } from '../../test/support/images';
import { errorBodySchema, usageSummarySchema } from '../contract';
import { costFromUsage, roundUsd, type ImageUsage } from '../pricing';
import { ALICE_SECRET, BOB_SECRET, editForm, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { maxRequestBytes: 300_000 } });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const gen = (init: RequestInit = {}) =>
  stack.fetch('/v1/images/generations', { method: 'POST', body: JSON.stringify({ prompt: 'x', quality: 'low' }), ...init, headers: { 'content-type': 'application/json', ...init.headers } });

function expectCors(res: Response) {
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  expect(res.headers.get('access-control-expose-headers')).toContain('x-framefill-cost-usd');
}

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(res.headers.get('set-cookie')).toBeNull();
}

describe('authentication', () => {
  const cases: Array<[string, string | undefined]> = [
    ['missing', undefined],
    ['wrong scheme', `Basic ${ALICE_SECRET}`],
    ['bare secret', ALICE_SECRET],
    ['unknown secret', 'Bearer ff-not-a-real-token-000000'],
    ['secret with extra characters', `Bearer ${ALICE_SECRET}x`],
    ['prefix of a secret', `Bearer ${ALICE_SECRET.slice(0, -1)}`],
    ['the OpenAI key itself', 'Bearer sk-fake-test-key'],
  ];
  it.each(cases)('%s → 401 invalid_api_key, secret never echoed, no upstream call', async (_name, authorization) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: authorization ?? '' };
    const res = await fetch(`${stack.url}/v1/images/generations`, { method: 'POST', headers, body: '{"prompt":"x"}' });
    const text = await res.text();
    expect(res.status).toBe(401);
    const body = errorBodySchema.parse(JSON.parse(text));
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(body.error.message).toMatch(/Framefill access token/);
    expect(text).not.toContain(ALICE_SECRET.slice(3));
    expect(text).not.toContain('ff-not-a-real');
    for (const [, v] of res.headers) expect(v).not.toContain(ALICE_SECRET);
    expectCors(res);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('the SDK surfaces it as AuthenticationError', async () => {
    await expect(stack.client('wrong-secret').images.generate({ prompt: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('a valid token of either user works, and /v1/usage is guarded too', async () => {
    expect((await gen({ headers: { authorization: `Bearer ${BOB_SECRET}` } })).status).toBe(200);
    expect((await fetch(`${stack.url}/v1/usage`)).status).toBe(401);
  });
});

describe('CORS and security headers', () => {
  it('answers a preflight from the plugin iframe (origin null) with 204 and the SDK headers', async () => {
    const requested = 'authorization, content-type, idempotency-key, x-stainless-os, x-stainless-retry-count, openai-project';
    const res = await fetch(`${stack.url}/v1/images/generations`, {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
    });
    expect(res.status).toBe(204);
    expectCors(res);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE, OPTIONS');
    const allowed = res.headers.get('access-control-allow-headers')!.split(/,\s*/);
    for (const h of requested.split(/,\s*/)) expect(allowed).toContain(h);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-framefill-cost-usd, x-request-id, retry-after');
    expect(res.headers.get('access-control-allow-private-network')).toBeNull();
    expect(stack.fake.requests).toHaveLength(0);
  });

  it("says yes to Chrome's private-network preflight (Figma calling a localhost backend)", async () => {
    const res = await fetch(`${stack.url}/v1/images/generations`, {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-private-network': 'true' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-private-network')).toBe('true');
  });

  it('answers preflights for any path, without a token', async () => {
    const res = await fetch(`${stack.url}/anything/else`, { method: 'OPTIONS', headers: { origin: 'null', 'access-control-request-method': 'GET' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('puts CORS and security headers on successes, errors and 404s', async () => {
    const ok = await gen({ headers: { origin: 'null' } });
    const bad = await stack.fetch('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'null' }, body: '{}' });
    const missing = await stack.fetch('/v2/nothing', { headers: { origin: 'null' } });
    const health = await fetch(`${stack.url}/healthz`);
    const result = await stack.fetch('/v1/results/nothing-here', { headers: { origin: 'null' } });
    expect(result.status).toBe(404);
    const cancel = await stack.fetch('/v1/results/nothing-here', { method: 'DELETE', headers: { origin: 'null' } });
    expect(cancel.status).toBe(404);
    for (const res of [ok, bad, missing, health, result, cancel]) {
      expectCors(res);
      expectSecurityHeaders(res);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    }
    expect([ok.status, bad.status, missing.status, health.status]).toEqual([200, 400, 404, 200]);
  });
});

describe('routes', () => {
  it('GET /healthz → {ok:true} without auth', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('unknown route → 404 OpenAI-style', async () => {
    const res = await stack.fetch('/v1/images/variations', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(errorBodySchema.parse(await res.json()).error.message).toContain('/v1/images/variations');
  });

  it('wrong method → 405 with Allow', async () => {
    const res = await stack.fetch('/v1/images/generations');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('method_not_allowed');
    expect((await stack.fetch('/v1/usage', { method: 'POST' })).status).toBe(405);
    const results = await stack.fetch('/v1/results/some-id', { method: 'PUT' });
    expect(results.status).toBe(405);
    expect(results.headers.get('allow')).toBe('GET, DELETE');
  });
});

describe('body limits', () => {
  it('an edit body over FRAMEFILL_MAX_REQUEST_BYTES → 413 OpenAI-style, nothing sent upstream', async () => {
    const files = [1, 2, 3].map((seed) => ({ field: 'image[]', bytes: pngOf(512, 512, seed) })); // ~3 × 120 KB
    const res = await stack.fetch('/v1/images/edits', { method: 'POST', body: editForm({ prompt: 'x' }, files) });
    expect(res.status).toBe(413);
    const body = errorBodySchema.parse(await res.json());
    expect(body.error.code).toBe('request_too_large');
    expectCors(res);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('answers a chunked upload (no Content-Length) over the limit with a clean 413', async () => {
    let pushed = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    // A chunked upload that would go on for 10 MB; the backend must stop it at the limit.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pushed >= 160) return controller.close();
        pushed++;
        controller.enqueue(chunk);
      },
    });
    const res = await stack.fetch('/v1/images/edits', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe('request_too_large');
  });

  it('a generation body over 1 MB → 413', async () => {
    const res = await gen({ body: JSON.stringify({ prompt: 'x', user: 'u'.repeat(1_100_000) }) });
    expect(res.status).toBe(413);
  });
});

describe('GET /v1/usage', () => {
  it("reports the caller's month-to-date images, requests, tokens and cost", async () => {
    const local = await startStack();
    try {
      const client = local.client(BOB_SECRET);
      const a = await client.images.generate({ prompt: 'one', quality: 'low', n: 2 });
      const b = await client.images.generate({ prompt: 'two', quality: 'medium' });
      await local.client(ALICE_SECRET).images.generate({ prompt: 'not bob', quality: 'high' });
      const res = await local.fetch('/v1/usage', { headers: { authorization: `Bearer ${BOB_SECRET}` } });
      const summary = usageSummarySchema.parse(await res.json());
      const ua = a.usage as ImageUsage;
      const ub = b.usage as ImageUsage;
      expect(summary).toEqual({
        object: 'framefill.usage',
        token_name: 'bob',
        month: new Date().toISOString().slice(0, 7),
        images: 3,
        partial_images: 0,
        requests: 2,
        input_tokens: ua.input_tokens! + ub.input_tokens!,
        output_tokens: ua.output_tokens! + ub.output_tokens!,
        cost_usd: roundUsd(costFromUsage(ua) + costFromUsage(ub)),
        budget_usd: null,
      });
    } finally {
      await local.close();
    }
  });

  it('counts streamed images once the stream has ended, and nothing for failed calls', async () => {
    const local = await startStack();
    try {
      const stream = await local.client().images.generate({ prompt: 's', stream: true, quality: 'low', n: 2 });
      for await (const _ of stream) void _;
      local.fake.setFault({ kind: 'server_error' }, 1);
      await expect(local.client().images.generate({ prompt: 'fails' })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
      const summary = usageSummarySchema.parse(await (await local.fetch('/v1/usage')).json());
      expect(summary).toMatchObject({ token_name: 'alice', images: 2, requests: 1 });
      expect(summary.cost_usd).toBeGreaterThan(0);
    } finally {
      await local.close();
    }
  });

  it('uses the UTC month of the injected clock', async () => {
    const local = await startStack({ deps: { clock: () => Date.parse('2031-12-31T23:59:00Z') } });
    try {
      const summary = usageSummarySchema.parse(await (await local.fetch('/v1/usage')).json());
      expect(summary).toMatchObject({ month: '2031-12', images: 0, requests: 0, cost_usd: 0 });
    } finally {
      await local.close();
    }
  });
});
