// The body limit reads at most limit + drain cap of an endless upload, and passes bodies within
// the limit through whole.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody } from './body-limit';
import { HttpError } from '../../errors';

function app(maxBytes: number, drainCap: number) {
  const a = new Hono();
  a.post('/', limitBody(maxBytes, drainCap), async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  a.onError((err) => (err instanceof HttpError ? err.toResponse() : new Response('boom', { status: 500 })));
  return a;
}

function endless(chunkBytes: number, maxChunks: number) {
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= maxChunks) return controller.close();
      state.pulled++;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
  });
  return { body, state };
}

describe('limitBody', () => {
  it('stops reading an oversized stream at the limit plus the drain cap and answers 413', async () => {
    const { body, state } = endless(1000, 100_000); // would be 100 MB
    const res = await app(5_000, 20_000).request('/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(state.pulled * 1000).toBeLessThanOrEqual(20_000 + 2_000);
  });

  it('passes a streamed body within the limit through intact', async () => {
    const { body } = endless(1000, 5);
    const res = await app(5_000, 20_000).request('/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await res.json()).toEqual({ bytes: 5_000 });
  });

  it('trusts Content-Length: over the limit → 413, within → passed on', async () => {
    const a = app(10, 1_000);
    expect((await a.request('/', { method: 'POST', body: 'x'.repeat(11), headers: { 'content-length': '11' } })).status).toBe(413);
    expect(await (await a.request('/', { method: 'POST', body: 'x'.repeat(10), headers: { 'content-length': '10' } })).json()).toEqual({ bytes: 10 });
  });
});
