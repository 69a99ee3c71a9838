// Stored results: what is kept for a result reads back as exactly its JSON, however it was written.
import { describe, expect, it } from 'vitest';
import { Base64Bytes } from '../upstream/base64-bytes';
import { serializeResult, type StoredResult } from './retained-results';

const enc = new TextEncoder();
const b64 = (chars: number, seed: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  return Array.from({ length: chars }, (_, i) => alphabet[(i * 7 + seed) % 64]).join('') + '==';
};
/** The base64 as a stream delivers it: bytes, in network-sized slices. */
const asBytes = (text: string) => {
  const all = enc.encode(text);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += 65_536) parts.push(all.subarray(i, i + 65_536));
  return new Base64Bytes(parts);
};

const result = (data: unknown[]): StoredResult => ({
  v: 1,
  status: 'succeeded',
  route: 'generations',
  fingerprint: 'f'.repeat(64),
  cost_usd: 0.011,
  body: { created: 1, data, usage: { input_tokens: 10 }, framefill: { cost_usd: 0.011, request_id: 'req_1', model: 'gpt-image-2' } },
});
const text = (stored: string | Uint8Array) => (typeof stored === 'string' ? stored : new TextDecoder().decode(stored));

describe('serializeResult', () => {
  it('writes images that arrived as bytes into the JSON as they are, byte for byte', () => {
    const [one, two] = [b64(200_000, 1), b64(10, 2)];
    const stored = serializeResult(result([{ b64_json: asBytes(one) }, { b64_json: asBytes(two), revised_prompt: 'a "fox"' }]));
    expect(stored).toBeInstanceOf(Uint8Array);
    expect(text(stored)).toBe(JSON.stringify(result([{ b64_json: one }, { b64_json: two, revised_prompt: 'a "fox"' }])));
  });

  it('escapes what a broken upstream put in its bytes, and leaves text results as JSON text', () => {
    const odd = `${b64(5_000, 3)}"\\\n`;
    expect(JSON.parse(text(serializeResult(result([{ b64_json: asBytes(odd) }]))))).toEqual(result([{ b64_json: odd }]));
    const plain = result([{ b64_json: b64(5_000, 4) }]);
    expect(serializeResult(plain)).toBe(JSON.stringify(plain));
    const marker: StoredResult = { v: 1, status: 'not_retained', route: 'edits', fingerprint: 'a', cost_usd: 0 };
    expect(serializeResult(marker)).toBe(JSON.stringify(marker));
  });
});
