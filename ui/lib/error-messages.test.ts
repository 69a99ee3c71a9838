import { describe, expect, it } from 'vitest';
import { BackendError } from './backend-error';
import { describeError, waitMessage } from './error-messages';

const http = (status: number, code: string | null = null, extra: Partial<ConstructorParameters<typeof BackendError>[1]> = {}) =>
  new BackendError('Upstream said no.', { kind: 'http', url: 'https://ff.test', status, code, ...extra });

describe('describeError', () => {
  it('maps every backend failure to a sentence with the next step', () => {
    expect(describeError(http(401, 'invalid_api_key'))).toMatchObject({ message: 'The access token was refused — check it in Settings.', settings: true });
    expect(describeError(http(402)).message).toMatch(/^Your team's monthly image budget is used up/);
    expect(describeError(http(402)).retryable).toBe(false);
    expect(describeError(http(429, 'rate_limit_exceeded', { retryAfterS: 30 })).message).toBe('Rate limited — too many images at once. Try again in 30 s.');
    expect(describeError(http(413)).message).toMatch(/reference images are too large/);
    expect(describeError(http(504, 'upstream_timeout')).message).toMatch(/^OpenAI took too long/);
    expect(describeError(http(502, 'upstream_unreachable')).message).toMatch(/couldn't reach OpenAI/);
    expect(describeError(http(500)).message).toMatch(/HTTP 500/);
    expect(describeError(http(400, 'moderation_blocked')).message).toMatch(/safety system blocked this prompt/);
  });

  it('offers Edit prompt instead of Retry where the same request would be refused again', () => {
    const invalid = (param: string | null, status: number | null = 400) =>
      describeError(new BackendError('Bad value.', { kind: status === null ? 'stream' : 'http', url: 'u', status, type: 'invalid_request_error', param }));
    expect(describeError(http(400, 'moderation_blocked'))).toMatchObject({ retryable: false, editPrompt: true });
    expect(describeError(new BackendError('x', { kind: 'stream', url: 'u', code: 'moderation_blocked' }))).toMatchObject({ retryable: false, editPrompt: true });
    expect(invalid('prompt')).toMatchObject({ message: 'The prompt was refused: Bad value.', retryable: false, editPrompt: true });
    expect(invalid(null)).toMatchObject({ retryable: false, editPrompt: true });
    expect(invalid(null, null)).toMatchObject({ retryable: false, editPrompt: true });
    // The size or an image is fixed in the form or the selection, not the prompt.
    expect(invalid('size')).toMatchObject({ retryable: false, editPrompt: false });
    expect(invalid('image[]')).toMatchObject({ retryable: false, editPrompt: false });
    // A key reused (409) works with a fresh request: Retry sends one.
    expect(invalid('Idempotency-Key', 409)).toMatchObject({ retryable: true, editPrompt: false });
    // Transient failures keep Retry.
    expect(describeError(http(502, 'upstream_unreachable'))).toMatchObject({ retryable: true, editPrompt: false });
  });

  it('reads stream error events by their code', () => {
    const stream = (code: string) => new BackendError('x', { kind: 'stream', url: 'u', code });
    expect(describeError(stream('moderation_blocked')).message).toMatch(/safety system/);
    expect(describeError(stream('upstream_timeout')).message).toMatch(/took too long/);
    expect(describeError(stream('invalid_api_key')).settings).toBe(true);
  });

  it('tells where the backend could not be reached and keeps the request id for a retry', () => {
    const error = new BackendError('Failed to fetch', { kind: 'network', url: 'https://ff.acme.test' });
    expect(describeError(error)).toEqual({ message: "Can't reach the Framefill backend at https://ff.acme.test — check the URL in Settings.", settings: true, retryable: true, editPrompt: false, sameRequest: true });
  });

  it('words the fix for where it is shown: Settings is not sent to Settings', () => {
    const network = new BackendError('Failed to fetch', { kind: 'network', url: 'https://ff.acme.test' });
    expect(describeError(network, 'settings').message).toBe("Can't reach the Framefill backend at https://ff.acme.test — check the Backend URL above.");
    expect(describeError(http(401, 'invalid_api_key'), 'settings').message).toBe('The access token was refused — check the access token above and save.');
    expect(describeError(http(404), 'settings').message).toMatch(/check the Backend URL above\.$/);
    for (const error of [network, http(401), http(404), new BackendError('x', { kind: 'invalid-response', url: 'https://ff.test' })]) {
      expect(describeError(error, 'settings').message).not.toMatch(/Settings/);
      expect(describeError(error).message).toMatch(/in Settings\.$/);
    }
  });

  it('passes sandbox messages through and calls aborts cancelled', () => {
    expect(describeError(new Error('The frame was deleted.')).message).toBe('The frame was deleted.');
    expect(describeError(new DOMException('x', 'AbortError')).message).toBe('Cancelled.');
  });

  it('words retry waits', () => {
    expect(waitMessage({ reason: 'rate-limit', delayMs: 7000, attempt: 1 })).toBe('Rate limited — waiting 7 s');
    expect(waitMessage({ reason: 'transient', delayMs: 1500, attempt: 1 })).toBe('Connection trouble — retrying in 2 s');
    expect(waitMessage({ reason: 'unreachable', delayMs: 1000, attempt: 1, retries: 2 })).toBe("Can't reach the backend — retrying (1/2)…");
  });
});
