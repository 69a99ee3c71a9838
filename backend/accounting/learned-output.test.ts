// Learning what a model × quality costs from settled calls: what counts as a sample, the shared
// counters, the mean served once there are enough runs, and the reservation it raises.
import { describe, expect, it } from 'vitest';
import { findModel } from '../models';
import { priceBook } from '../pricing';
import { MemoryStore } from '../store';
import type { Store } from '../store';
import { LEARNED_MIN_RUNS, readLearned, recordOutput, reservationBook, sampleOf, type SettledCall } from './learned-output';

const flare = findModel('gpt-image-2.5-flare')!;
const call = (c: Partial<SettledCall> = {}): SettledCall => ({
  model: 'gpt-image-2.5-flare',
  askedQuality: 'xhigh',
  askedSize: '1024x1024',
  images: 1,
  partialImages: 0,
  outputTokens: 12_000,
  ...c,
});

describe('sampleOf', () => {
  it('takes the asked quality and size; a snapshot counts as its model', () => {
    expect(sampleOf(call({ model: 'gpt-image-2.5-flare-2026-09-08', images: 2, outputTokens: 24_000 }))).toEqual({
      model: 'gpt-image-2.5-flare',
      quality: 'xhigh',
      width: 1024,
      height: 1024,
      images: 2,
      outputTokens: 24_000,
    });
  });

  it('takes the quality and size the response reports when auto resolved them, and skips what stays unknown', () => {
    expect(sampleOf(call({ askedQuality: 'auto', reportedQuality: 'max', askedSize: 'auto', reportedSize: '1536x1024' }))).toMatchObject({ quality: 'max', width: 1536, height: 1024 });
    expect(sampleOf(call({ askedQuality: 'auto' }))).toBeNull();
    expect(sampleOf(call({ askedQuality: undefined, reportedQuality: 'ultra' }))).toBeNull();
    expect(sampleOf(call({ askedSize: 'auto' }))).toBeNull();
    expect(sampleOf(call({ outputTokens: undefined }))).toBeNull();
    expect(sampleOf(call({ images: 0 }))).toBeNull();
    expect(sampleOf(call({ model: 'dall-e-3' }))).toBeNull();
  });

  it("takes partial images' tokens off (100 each)", () => {
    expect(sampleOf(call({ partialImages: 3, outputTokens: 12_300 }))?.outputTokens).toBe(12_000);
  });
});

describe('the learned figures', () => {
  it(`stay unlearned below ${LEARNED_MIN_RUNS} runs, then serve the mean per 1024² image (any size teaches it)`, async () => {
    const store = new MemoryStore();
    const fail = (err: unknown) => {
      throw err;
    };
    await recordOutput(store, sampleOf(call({ outputTokens: 10_000 }))!, fail);
    await recordOutput(store, sampleOf(call({ outputTokens: 14_000 }))!, fail);
    let learned = await readLearned(store, flare);
    expect(learned.xhigh.runs).toBe(2);
    expect(reservationBook(priceBook(flare.usdPerMillion, { xhigh: 0.1 }), learned).outputTokens1024.xhigh).toBe(priceBook(flare.usdPerMillion, { xhigh: 0.1 }).outputTokens1024.xhigh);
    // 1536×1024 at 18,000 tokens is 12,000 per 1024².
    await recordOutput(store, sampleOf(call({ askedSize: '1536x1024', outputTokens: 18_000 }))!, fail);
    learned = await readLearned(store, flare);
    expect(learned.xhigh.runs).toBe(3);
    expect(learned.xhigh.outputTokens1024).toBeGreaterThanOrEqual(11_999);
    expect(learned.xhigh.outputTokens1024).toBeLessThanOrEqual(12_001);
    expect(learned.max).toEqual({ runs: 0, outputTokens1024: 0 });
    const low = priceBook(flare.usdPerMillion, { xhigh: 0.1 });
    const raised = reservationBook(low, learned);
    expect(raised.outputTokens1024.xhigh).toBe(Math.ceil(1.5 * learned.xhigh.outputTokens1024));
    // A ceiling above what was learned stays; published tiers never move.
    const high = priceBook(flare.usdPerMillion, { xhigh: 5 });
    expect(reservationBook(high, learned).outputTokens1024.xhigh).toBe(high.outputTokens1024.xhigh);
    expect(raised.outputTokens1024.high).toBe(low.outputTokens1024.high);
  });

  it('a store that fails is reported, never thrown', async () => {
    const broken = { add: () => Promise.reject(new Error('redis down')) } as unknown as Store;
    const errors: unknown[] = [];
    await expect(recordOutput(broken, sampleOf(call())!, (err) => errors.push(err))).resolves.toBeUndefined();
    expect(String(errors[0])).toContain('redis down');
  });
});
