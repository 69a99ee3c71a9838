// Upstream errors as relayed: OpenAI's shape and status kept, but nothing of the upstream's that
// could carry a secret or flood a client — scrubbed fields, capped message, retry timing only.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { describeWithCauses } from '../errors';
import { upstreamError } from './to-http-error';

const KEY = 'sk-proj-unitAbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const ctx = { cause: null, timeoutMs: 5_000, secrets: [KEY] } as const;
const apiError = (status: number | undefined, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new OpenAI.APIError(status, error, undefined, new Headers(headers));

describe('upstreamError', () => {
  it('keeps a clean OpenAI error as it is', () => {
    const err = upstreamError(apiError(400, { message: 'Invalid size.', type: 'invalid_request_error', code: 'invalid_value', param: 'size' }), ctx);
    expect(err.status).toBe(400);
    expect(err.body().error).toEqual({ message: 'Invalid size.', type: 'invalid_request_error', code: 'invalid_value', param: 'size' });
  });

  it('drops a code, type or param that is not a clean identifier or holds a piece of the key', () => {
    const err = upstreamError(apiError(400, { message: `no ${KEY.slice(5, 25)}`, type: KEY, code: 'a b\nc', param: KEY.slice(10, 30) }), ctx);
    expect(err.body().error).toEqual({ message: 'no [redacted]', type: 'invalid_request_error', code: null, param: null });
  });

  it('scrubs an error event in a stream (no status) the same way', () => {
    const err = upstreamError(apiError(undefined, { message: KEY, type: KEY, code: KEY }), ctx);
    expect(err.status).toBe(502);
    expect(JSON.stringify(err.body())).not.toContain(KEY.slice(0, 12));
  });

  it('cuts a long message to 2,000 characters', () => {
    const err = upstreamError(apiError(500, { message: 'x'.repeat(100_000) }), ctx);
    expect(err.message.length).toBeLessThanOrEqual(2_001);
  });

  it('passes on only the retry timing, as whole seconds', () => {
    const err = upstreamError(apiError(429, { message: 'slow' }, { 'retry-after-ms': '1500', 'x-request-id': KEY, 'x-ratelimit-limit-requests': '5' }), ctx);
    expect(err.headers).toEqual({ 'retry-after': '2' });
    expect(upstreamError(apiError(429, { message: 'slow' }, { 'retry-after': KEY }), ctx).headers).toEqual({});
  });

  it('a server error that says when to come back is a 503; a long wait tells SDK clients not to sleep it', () => {
    const err = upstreamError(apiError(500, { message: 'down' }, { 'retry-after': '3600' }), ctx);
    expect(err.status).toBe(503);
    expect(err.headers).toEqual({ 'retry-after': '3600', 'x-should-retry': 'false' });
    expect(upstreamError(apiError(409, { message: 'lock timeout' }, { 'retry-after': '90' }), ctx).status).toBe(503);
    expect(upstreamError(apiError(500, { message: 'down' }), ctx).status).toBe(500);
    expect(upstreamError(apiError(429, { message: 'slow' }, { 'retry-after': '90' }), ctx).status).toBe(429);
  });

  it('the log line of its causes holds no piece of the key either', () => {
    const err = upstreamError(apiError(500, { message: 'down', code: KEY.slice(0, 20), param: KEY }), ctx);
    expect(describeWithCauses(err, [KEY])).not.toMatch(/unitAbCdEfGh|EfGhIjKlMnOp/);
  });
});
