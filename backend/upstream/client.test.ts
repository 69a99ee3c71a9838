// The SDK client as the backend builds it: one attempt per call (the retry loop is ours), and an
// error body read only up to 64 KB however much the upstream sends.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createOpenAIClient } from './client';

const MB = 1024 * 1024;

/** A fetch answering every call with `status` and a body of `bytes` bytes, counting calls and bytes pulled. */
function upstream(status: number, bytes: number, headers: Record<string, string> = {}) {
  const seen = { calls: 0, pulled: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x78);
  const fetch = (() => {
    seen.calls++;
    let left = bytes;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (left <= 0) return controller.close();
        const piece = chunk.subarray(0, Math.min(chunk.byteLength, left));
        left -= piece.byteLength;
        seen.pulled += piece.byteLength;
        controller.enqueue(piece);
      },
    });
    return Promise.resolve(new Response(body, { status, headers }));
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const client = (fetch: typeof globalThis.fetch) =>
  createOpenAIClient({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeoutMs: 5_000, maxRetries: 2, fetch });

describe('createOpenAIClient', () => {
  it('reads at most 64 KB of an error body (a 50 MB one is not read whole)', async () => {
    const { fetch, seen } = upstream(500, 50 * MB);
    const failure = await client(fetch).images.generate({ prompt: 'x' }).asResponse().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message.length).toBeLessThanOrEqual(64 * 1024 + 10);
    expect(seen.pulled).toBeLessThan(1 * MB);
  });

  it("makes one attempt: retries are the backend loop's, not the SDK's", async () => {
    const { fetch, seen } = upstream(429, 10, { 'retry-after': '0' });
    await expect(client(fetch).images.generate({ prompt: 'x' }).asResponse()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(seen.calls).toBe(1);
  });

  it('leaves a success body alone', async () => {
    const { fetch } = upstream(200, 3 * MB, { 'content-type': 'application/json' });
    const res = await client(fetch).images.generate({ prompt: 'x' }).asResponse();
    expect((await res.arrayBuffer()).byteLength).toBe(3 * MB);
  });
});
