// The charge of a call: upstream's usage bounded by the delivered images' published price and the
// reservation; cut streams pay their partials; abandoned calls the documented minimum.
import { describe, expect, it } from 'vitest';
import { abandonedCallTokens, costOfTokens, floorOutputTokens, maxCostMicros, outputTokensFor, PARTIAL_IMAGE_OUTPUT_TOKENS, priceBook, toMicros } from '../pricing';
import { largestImagesResponseBytes } from './bounded-body';
import { abandonedCharge, addUsage, chargeFor, NO_USAGE, type ChargeBasis } from './charge';

const PROMPT = 'a red fox in snow';
const basis = (extra: Partial<ChargeBasis> = {}): ChargeBasis => {
  const q = { n: 1, quality: 'low' as const, size: '1024x1024', promptChars: PROMPT.length, references: 0, ...extra };
  const inputs = Array.from({ length: q.references }, () => ({ width: 1024, height: 1024 }));
  return { ...q, maxMicros: extra.maxMicros ?? maxCostMicros({ quality: q.quality, size: q.size, n: q.n, prompt: PROMPT, inputs }) };
};
const honest = { input_tokens: 5, output_tokens: outputTokensFor('low', 1024, 1024), input_tokens_details: { text_tokens: 5, image_tokens: 0 } };
const published = costOfTokens({ text: 5, output: outputTokensFor('low', 1024, 1024) });

describe('chargeFor', () => {
  it('charges honest usage as reported, with no anomaly', () => {
    const { totals, anomaly } = chargeFor(basis(), { images: 1, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, honest) });
    expect(totals).toEqual({ images: 1, partial_images: 0, requests: 1, input_tokens: 5, output_tokens: honest.output_tokens, cost_usd: published });
    expect(anomaly).toBeNull();
  });

  it.each([
    ['missing', undefined],
    ['zero', { input_tokens: 0, output_tokens: 0 }],
    ['negative', { input_tokens: -50, output_tokens: -5_000 }],
    ['not numbers', { input_tokens: 'many', output_tokens: null } as never],
  ])('%s usage: charged at least the published price of what was delivered', (_name, usage) => {
    const { totals, anomaly } = chargeFor(basis({ n: 3 }), { images: 3, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, usage) });
    expect(totals.cost_usd).toBe(costOfTokens({ output: 3 * outputTokensFor('low', 1024, 1024) }));
    expect(totals.images).toBe(3);
    expect(anomaly).toMatch(/below the published/);
  });

  it('auto quality and size: the floor is the cheapest image gpt-image-2 can make', () => {
    expect(floorOutputTokens({ quality: 'auto', size: 'auto' })).toBe(Math.ceil(outputTokensFor('low', 1024, 1024) * (655_360 / 1024 ** 2)));
    expect(floorOutputTokens({ quality: 'high', size: '1536x1024' })).toBe(outputTokensFor('high', 1536, 1024));
  });

  it('inflated usage: charged at most the reservation, token counts bounded too', () => {
    const b = basis();
    const { totals, anomaly } = chargeFor(b, { images: 1, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, { input_tokens: 1e15, output_tokens: 1e15 }) });
    expect(toMicros(totals.cost_usd)).toBe(b.maxMicros);
    expect(Number.isSafeInteger(totals.output_tokens)).toBe(true);
    expect(totals.output_tokens).toBeLessThanOrEqual(b.maxMicros / 5);
    expect(anomaly).toMatch(/above the request's maximum/);
  });

  it('more images than asked: every one counted, the charge still within the reservation', () => {
    const b = basis();
    const usage = { output_tokens: 10 * honest.output_tokens, input_tokens: 5 };
    const { totals, anomaly } = chargeFor(b, { images: 10, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, usage) });
    expect(totals.images).toBe(10);
    expect(toMicros(totals.cost_usd)).toBe(b.maxMicros);
    expect(anomaly).toMatch(/10 images delivered for n=1/);
  });

  it('a stream cut after two partials: the partials at their tokens plus the input as estimated, one image slot', () => {
    const { totals, anomaly } = chargeFor(basis(), { images: 0, partials: 2, unfinishedPartials: 2, reported: NO_USAGE });
    const text = Math.ceil(PROMPT.length / 4);
    expect(totals).toEqual({
      images: 1,
      partial_images: 2,
      requests: 1,
      input_tokens: text,
      output_tokens: 2 * PARTIAL_IMAGE_OUTPUT_TOKENS,
      cost_usd: costOfTokens({ text, output: 2 * PARTIAL_IMAGE_OUTPUT_TOKENS }),
    });
    expect(anomaly).toBeNull();
  });

  it('n=2 cut during the second image: the first at its usage, the second\'s partials at their tokens', () => {
    const { totals } = chargeFor(basis({ n: 2 }), { images: 1, partials: 3, unfinishedPartials: 1, reported: addUsage(NO_USAGE, honest) });
    expect(totals.images).toBe(2);
    expect(totals.partial_images).toBe(3);
    expect(totals.cost_usd).toBe(costOfTokens({ text: 5, output: honest.output_tokens + PARTIAL_IMAGE_OUTPUT_TOKENS }));
  });
});

describe('abandoned non-stream calls', () => {
  it('are charged the published price of the images asked for plus the input, within the reservation', () => {
    const b = basis({ n: 2, quality: 'medium', references: 2 });
    const totals = abandonedCharge(b);
    const tokens = abandonedCallTokens(b);
    expect(tokens).toEqual({ text: Math.ceil(PROMPT.length / 4), image: 3_000, output: 2 * outputTokensFor('medium', 1024, 1024) });
    expect(totals).toMatchObject({ images: 0, requests: 1, cost_usd: costOfTokens(tokens) });
    expect(abandonedCharge({ ...b, maxMicros: 1_000 }).cost_usd).toBe(0.001);
  });
});

describe("a model's own prices", () => {
  // A model whose tokens cost twice gpt-image-2's, images as many tokens (none does today; the 2.5 family matches it).
  const dear = { ...priceBook(), usdPerMillion: { textInput: 10, imageInput: 16, imageOutput: 60 } };

  it("charge usage, floor and abandoned calls at the model's book", () => {
    const maxMicros = maxCostMicros({ quality: 'low', size: '1024x1024', n: 1, prompt: PROMPT, book: dear });
    const b = basis({ book: dear, maxMicros });
    const { totals } = chargeFor(b, { images: 1, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, honest) });
    expect(totals.cost_usd).toBe(costOfTokens({ text: 5, output: honest.output_tokens }, dear));
    expect(totals.cost_usd).toBeCloseTo(2 * published, 6);
    // Missing usage: the floor, at the model's prices.
    const floor = chargeFor(b, { images: 1, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, undefined) }).totals.cost_usd;
    expect(floor).toBe(costOfTokens({ output: floorOutputTokens(b, dear) }, dear));
    expect(abandonedCharge(b).cost_usd).toBe(Math.min(maxMicros / 1e6, costOfTokens(abandonedCallTokens(b, dear), dear)));
  });

  it('xhigh and max are floored at high (their price is unpublished) and reserved at the ceiling', () => {
    const book = priceBook(undefined, { xhigh: 0.45 });
    expect(floorOutputTokens({ quality: 'xhigh', size: '1024x1024' }, book)).toBe(outputTokensFor('high', 1024, 1024, book));
    const reserved = maxCostMicros({ quality: 'xhigh', size: '1024x1024', n: 1, prompt: '', book });
    expect(reserved).toBeGreaterThanOrEqual(450_000);
    expect(reserved).toBeLessThan(451_000);
  });
});

describe('largestImagesResponseBytes', () => {
  it('allows twice n worst-case base64 PNGs at the requested size, auto at the largest', () => {
    const one = largestImagesResponseBytes(1, '1024x1024');
    expect(one).toBeGreaterThan(2 * (1024 * 1024 * 4 * 4) / 3);
    expect(one).toBeLessThan(12 * 1024 * 1024);
    expect(largestImagesResponseBytes(4, '1024x1024')).toBeGreaterThan(3.9 * one);
    expect(largestImagesResponseBytes(1, 'auto')).toBe(largestImagesResponseBytes(1, '3840x2160'));
  });
});
