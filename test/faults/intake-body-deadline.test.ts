// Issue 11, defect 4, off Node: where the app reads the body as a web stream (Workers, Vercel —
// here the app's own fetch, with no Node request behind it), a body that stalls is cut after
// FRAMEFILL_BODY_TIMEOUT_MS with a 408, and the request's place in flight is given back.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../backend/app';
import { intakeDefaults } from '../../backend/config/load-config';
import { ALICE_SECRET, testConfig } from '../../backend/test-helpers/stack';

const config = testConfig({ intake: { ...intakeDefaults(25 * 1024 * 1024), bodyTimeoutMs: 1_000, maxInFlightRequestsPerToken: 1 } });

/** A JSON body that sends its first bytes and then nothing, until cancelled. */
function stalledBody(): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull: async (controller) => {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode('{"prompt": "a lighthouse'));
        return;
      }
      await new Promise(() => {}); // stalls
    },
  });
}

const post = (app: ReturnType<typeof createApp>, body: BodyInit, headers: Record<string, string> = {}) =>
  app.fetch(new Request('http://backend/v1/images/generations', {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE_SECRET}`, 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit));

describe('body deadline where the body is a web stream', () => {
  it('answers a stalled body with 408 request_timeout after the deadline, then serves the token again', async () => {
    const app = createApp(config, { logger: () => {} });
    const started = performance.now();
    const cut = await post(app, stalledBody(), { 'content-length': '1000' });
    const ms = performance.now() - started;
    expect(cut.status).toBe(408);
    expect(((await cut.json()) as { error: { code: string } }).error.code).toBe('request_timeout');
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3_000);
    // Its place (one per token here) is free again: the next request is judged on its body.
    const next = await post(app, '{"prompt": ""}');
    expect(next.status).toBe(400);
  });
});
