// Stored results: the text kept for a result is exactly its JSON, however it is built.
import { describe, expect, it } from 'vitest';
import { resultText, type StoredResult } from './retained-results';

const b64 = (chars: number, seed: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return Array.from({ length: chars }, (_, i) => alphabet[(i * 7 + seed) % 64]).join('') + '==';
};

const result = (data: unknown[]): StoredResult => ({
  v: 1,
  status: 'succeeded',
  route: 'generations',
  fingerprint: 'f'.repeat(64),
  cost_usd: 0.011,
  body: { created: 1, data, usage: { input_tokens: 10 }, framefill: { cost_usd: 0.011, request_id: 'req_1', model: 'gpt-image-2' } },
});

describe('resultText', () => {
  it('is JSON.stringify of the result, images spliced in or not', () => {
    for (const r of [
      result([{ b64_json: b64(100_000, 1) }, { b64_json: b64(50_000, 2) }, { b64_json: b64(10, 3) }]),
      // Not base64 (quotes, a backslash, non-ASCII): serialised the ordinary way.
      result([{ b64_json: `${'x'.repeat(5_000)}"\\é` }, { b64_json: b64(8_000, 4), revised_prompt: 'a "fox"' }]),
      result([]),
      { v: 1, status: 'not_retained', route: 'edits', fingerprint: 'a', cost_usd: 0 } satisfies StoredResult,
    ]) {
      expect(resultText(r)).toBe(JSON.stringify(r));
    }
  });
});
