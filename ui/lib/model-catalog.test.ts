import { describe, expect, it } from 'vitest';
import { modelList } from '../test/model-list';
import { formatUnitPrice } from './format';
import { FALLBACK_CHOICES, modelChoices, nearestTier, resolveModel } from './model-catalog';

describe('model catalog', () => {
  it('without /v1/models offers gpt-image-2 alone, its three tiers at the published prices', () => {
    expect(FALLBACK_CHOICES.map((m) => m.id)).toEqual(['gpt-image-2']);
    const [only] = FALLBACK_CHOICES;
    expect(only!.prices.map((p) => [p.tier, formatUnitPrice(p.usd), p.basis])).toEqual([
      ['low', '$0.006', 'published'],
      ['medium', '$0.053', 'published'],
      ['high', '$0.211', 'published'],
    ]);
    expect(only!.transparent).toBe('preview');
  });

  it('takes each model\'s tiers and prices as served, learned prices included', () => {
    const choices = modelChoices(modelList(undefined, { 'gpt-image-2.5-flare': { xhigh: { output_tokens_1024: 10_000, basis: 'learned', runs: 12 } } }));
    expect(choices.map((m) => [m.id, m.tiers.join(' ')])).toEqual([
      ['gpt-image-2', 'low medium high'],
      ['gpt-image-2.5-flare', 'low medium high xhigh max'],
      ['gpt-image-2.5-sunburst', 'low medium high xhigh max'],
    ]);
    const flare = choices[1]!;
    expect(flare.prices.find((p) => p.tier === 'xhigh')).toEqual({ tier: 'xhigh', usd: 0.3, basis: 'learned', runs: 12 });
    expect(flare.prices.find((p) => p.tier === 'max')).toMatchObject({ usd: 0.9, basis: 'ceiling' });
    expect(flare.book.outputTokens1024.xhigh).toBe(10_000);
  });

  it('leaves out a listed model Framefill knows nothing about', () => {
    const list = modelList(['gpt-image-2']);
    list.data.push({ id: 'dall-e-9', object: 'model', created: 1, owned_by: 'someone' });
    expect(modelChoices(list).map((m) => m.id)).toEqual(['gpt-image-2']);
  });

  it('picks the nearest tier a model takes, the cheaper on a tie', () => {
    expect(nearestTier(['low', 'medium', 'high'], 'max')).toBe('high');
    expect(nearestTier(['low', 'medium', 'high'], 'xhigh')).toBe('high');
    expect(nearestTier(['low', 'high'], 'medium')).toBe('low');
    expect(nearestTier(['low', 'medium', 'high', 'xhigh', 'max'], 'xhigh')).toBe('xhigh');
  });

  it('resolves a stored model the backend doesn\'t offer to its default, and a dated snapshot to its model', () => {
    const onlyTwo = modelChoices(modelList(['gpt-image-2', 'gpt-image-2.5-flare']));
    expect(resolveModel(onlyTwo, 'gpt-image-2.5-sunburst').id).toBe('gpt-image-2');
    expect(resolveModel(onlyTwo, 'gpt-image-2.5-flare-2026-09-08').id).toBe('gpt-image-2.5-flare');
  });
});
