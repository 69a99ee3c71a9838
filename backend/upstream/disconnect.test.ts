// A client that goes away cancels the upstream call (nobody pays for images no one receives),
// and @hono/node-server really turns a closed connection into request.signal aborting.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fake: { latencyMs: 3_000, partialIntervalMs: 10 } });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const post = (signal: AbortSignal, extra: Record<string, unknown> = {}) =>
  stack.fetch('/v1/images/generations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'x', quality: 'low', ...extra }),
    signal,
  });

describe('client disconnects', () => {
  it('@hono/node-server aborts request.signal when the client closes the connection', async () => {
    let aborted = false;
    let started = false;
    const server = serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => {
      started = true;
      return new Promise<Response>((resolve) => {
        req.signal.addEventListener('abort', () => {
          aborted = true;
          resolve(new Response('gone'));
        });
        setTimeout(() => resolve(new Response('late')), 5_000).unref();
      });
    } });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    const request = fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal }).catch(() => null);
    expect(await eventually(() => started)).toBe(true);
    controller.abort();
    await request;
    expect(await eventually(() => aborted, 3_000)).toBe(true);
    await new Promise((r) => {
      server.close(r);
      (server as import('node:http').Server).closeAllConnections();
    });
  });

  it('aborts the upstream call of a non-stream request', async () => {
    const controller = new AbortController();
    const pending = post(controller.signal).catch(() => null);
    expect(await eventually(() => stack.fake.requests.length === 1)).toBe(true);
    controller.abort();
    await pending;
    expect(await eventually(() => stack.fake.requests[0]!.aborted, 2_000)).toBe(true);
    const logs = await stack.waitForLogs(1);
    expect(logs.at(-1)).toMatchObject({ status: 499, error: 'client_closed_request' });
  });

  it('aborts the upstream stream when the client stops reading mid-stream', async () => {
    const controller = new AbortController();
    const res = await post(controller.signal, { stream: true, partial_images: 2 });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('image_generation.partial_image');
    controller.abort();
    await reader.cancel().catch(() => {});
    expect(await eventually(() => stack.fake.requests[0]?.aborted === true, 2_000)).toBe(true);
  });
});
