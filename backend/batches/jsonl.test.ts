// The Batch API's output and error lines → each item's outcome, as OpenAI writes them.
import { describe, expect, it } from 'vitest';
import { batchLine, parseOutcome } from './jsonl';

describe('batch JSONL', () => {
  it('writes one request per line with its custom_id, method, url and body', () => {
    expect(JSON.parse(batchLine('item-1', '/v1/images/generations', { prompt: 'x' }))).toEqual({ custom_id: 'item-1', method: 'POST', url: '/v1/images/generations', body: { prompt: 'x' } });
  });

  it('reads a success, a refused request, an expiry and a cancel', () => {
    const ok = { id: 'b1', custom_id: 'a', response: { status_code: 200, request_id: 'req_1', body: { created: 1, data: [{ b64_json: 'iVBOR' }] } }, error: null };
    expect(parseOutcome(JSON.stringify(ok))).toEqual({ customId: 'a', outcome: { kind: 'succeeded', body: ok.response.body, requestId: 'req_1' } });
    const refused = { id: 'b2', custom_id: 'b', response: { status_code: 400, request_id: 'req_2', body: { error: { message: 'Invalid size', code: 'invalid_value', param: 'size' } } }, error: null };
    expect(parseOutcome(JSON.stringify(refused))?.outcome).toEqual({ kind: 'failed', code: 'invalid_value', message: 'Invalid size' });
    const expired = { id: 'b3', custom_id: 'c', response: null, error: { code: 'batch_expired', message: 'not in time' } };
    expect(parseOutcome(JSON.stringify(expired))?.outcome).toMatchObject({ kind: 'expired', code: 'batch_expired' });
    const cancelled = { id: 'b4', custom_id: 'd', response: null, error: { code: 'batch_cancelled', message: 'cancelled' } };
    expect(parseOutcome(JSON.stringify(cancelled))?.outcome.kind).toBe('cancelled');
  });

  it('skips blank and broken lines instead of failing the batch', () => {
    expect(parseOutcome('')).toBeNull();
    expect(parseOutcome('{"custom_id": ')).toBeNull();
    expect(parseOutcome('{"id": "no custom id"}')).toBeNull();
  });
});
