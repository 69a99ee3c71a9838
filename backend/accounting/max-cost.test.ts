// The budget reservation is a true upper bound of the bill: for every request shape, at least
// what the fake OpenAI (priced with the same table) charges, and at least the published prices.
import { describe, expect, it } from 'vitest';
import { usageFor } from '../../test/fake-openai/usage';
import { costFromUsage, inputTokensUpperBound, MAX_COST_MICROS, maxCostMicros, PARTIAL_IMAGE_OUTPUT_TOKENS, toMicros, type Tier } from '../pricing';
import { MAX_INPUT_PIXELS, MAX_INPUT_SIDE } from '../validation/edit';

type Quality = Tier | 'auto';
const QUALITIES: Quality[] = ['low', 'medium', 'high', 'auto'];
const SIZES = ['1024x1024', '1536x1024', '1024x1536', '2048x2048', '3840x2160', '2160x3840', '1024x3072', 'auto'];
const NS = [1, 3, 10];
const REFERENCES = [
  [],
  [{ width: 256, height: 256 }],
  Array.from({ length: 16 }, () => ({ width: 1024, height: 1024 })),
];
const PROMPTS = ['x', 'a red fox in snow, golden hour, 85 mm, soft light', '狐狸在雪中🦊'.repeat(300)];

/** What the fake bills: size auto → 1024², quality auto → medium (its documented behaviour). */
function fakeBillMicros(quality: Quality, size: string, n: number, references: number, prompt: string): number {
  const [w, h] = size === 'auto' ? [1024, 1024] : size.split('x').map(Number);
  const usage = usageFor({ tier: quality === 'auto' ? 'medium' : quality, width: w!, height: h!, images: n, promptChars: prompt.length, references });
  return toMicros(costFromUsage(usage));
}

describe('maxCostMicros', () => {
  it('is at least what the fake bills, across sizes, qualities, n, references and prompts', () => {
    let cases = 0;
    for (const quality of QUALITIES) {
      for (const size of SIZES) {
        for (const n of NS) {
          for (const inputs of REFERENCES) {
            for (const prompt of PROMPTS) {
              const max = maxCostMicros({ quality, size, n, prompt, inputs });
              const billed = fakeBillMicros(quality, size, n, inputs.length, prompt);
              if (!(max >= billed)) throw new Error(`bound ${max} < bill ${billed} for ${quality} ${size} n=${n} refs=${inputs.length} prompt=${prompt.length}`);
              cases++;
            }
          }
        }
      }
    }
    expect(cases).toBe(4 * 8 * 3 * 3 * 3);
  });

  it('is an integer number of micro-dollars', () => {
    expect(Number.isSafeInteger(maxCostMicros({ quality: 'auto', size: 'auto', n: 10, prompt: 'é'.repeat(32_000), inputs: REFERENCES[2] }))).toBe(true);
  });

  it('is not far above the bill when everything is known (explicit size and quality, no references)', () => {
    for (const quality of ['low', 'medium', 'high'] as const) {
      const max = maxCostMicros({ quality, size: '1024x1024', n: 1, prompt: 'x' });
      const billed = fakeBillMicros(quality, '1024x1024', 1, 0, 'x');
      expect(max - billed).toBeLessThan(1_000); // under a tenth of a cent: the prompt margin
    }
  });

  it('prices quality auto as high and size auto as the largest image (3840x2160)', () => {
    const prompt = 'x';
    expect(maxCostMicros({ quality: 'auto', size: '1024x1024', n: 1, prompt })).toBe(maxCostMicros({ quality: 'high', size: '1024x1024', n: 1, prompt }));
    expect(maxCostMicros({ size: '1024x1024', n: 1, prompt })).toBe(maxCostMicros({ quality: 'high', size: '1024x1024', n: 1, prompt }));
    expect(maxCostMicros({ quality: 'low', size: 'auto', n: 1, prompt })).toBe(maxCostMicros({ quality: 'low', size: '3840x2160', n: 1, prompt }));
    expect(maxCostMicros({ quality: 'low', n: 1, prompt })).toBe(maxCostMicros({ quality: 'low', size: '3840x2160', n: 1, prompt }));
  });

  it('is at least the published per-image prices (1024x1024 and 1024x1536)', () => {
    const published: Array<[Tier, string, number]> = [
      ['low', '1024x1024', 0.006], ['medium', '1024x1024', 0.053], ['high', '1024x1024', 0.211],
      ['low', '1024x1536', 0.005], ['medium', '1024x1536', 0.041], ['high', '1024x1536', 0.165],
    ];
    for (const [quality, size, usd] of published) expect(maxCostMicros({ quality, size, n: 1, prompt: '' })).toBeGreaterThanOrEqual(toMicros(usd));
  });

  it('charges every partial image of a stream and scales with n', () => {
    const base = { quality: 'low' as const, size: '1024x1024', prompt: 'x' };
    const plain = maxCostMicros({ ...base, n: 2 });
    expect(maxCostMicros({ ...base, n: 2, partialImages: 3 }) - plain).toBe(2 * 3 * PARTIAL_IMAGE_OUTPUT_TOKENS * 30);
    expect(maxCostMicros({ ...base, n: 4 }) - maxCostMicros({ ...base, n: 2 })).toBe(plain - maxCostMicros({ ...base, n: 0 }));
  });

  it('bounds reference images by their pixels, never below the flat per-reference figure', () => {
    expect(inputTokensUpperBound({ width: 64, height: 64 })).toBe(1_500);
    expect(inputTokensUpperBound({ width: 4096, height: 4096 })).toBe(2 * 128 * 128);
    const small = maxCostMicros({ quality: 'low', size: '1024x1024', n: 1, prompt: 'x', inputs: [{ width: 512, height: 512 }] });
    const large = maxCostMicros({ quality: 'low', size: '1024x1024', n: 1, prompt: 'x', inputs: [{ width: 4096, height: 4096 }] });
    expect(large).toBeGreaterThan(small);
  });

  it('stays a safe integer whatever an image header claims (a lying PNG must not become a store error)', () => {
    const huge = { width: 0xffffffff, height: 0xffffffff };
    for (const inputs of [[huge], Array.from({ length: 16 }, () => huge), [{ width: Number.MAX_VALUE, height: 2 }], [{ width: NaN, height: 1 }]]) {
      const max = maxCostMicros({ quality: 'auto', size: 'auto', n: 10, prompt: 'x', inputs });
      expect(Number.isSafeInteger(max)).toBe(true);
      expect(max).toBe(MAX_COST_MICROS);
    }
    // Thousands of capped reservations still add up to a safe integer in a counter.
    expect(Number.isSafeInteger(MAX_COST_MICROS * 9_000)).toBe(true);
  });

  it('the cap is far above the dearest request validation lets through', () => {
    const largest = Array.from({ length: 16 }, () => ({ width: MAX_INPUT_SIDE, height: Math.floor(MAX_INPUT_PIXELS / MAX_INPUT_SIDE) }));
    const dearest = maxCostMicros({ quality: 'auto', size: 'auto', n: 10, partialImages: 3, prompt: '🦊'.repeat(32_000), inputs: largest });
    expect(dearest).toBeLessThan(MAX_COST_MICROS / 1_000);
    expect(dearest).toBeGreaterThan(toMicros(10));
  });
});
