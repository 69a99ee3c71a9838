import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { createSpendConfirm } from './spend-confirm';

describe('the confirm threshold over every spend', () => {
  it('asks once above the threshold, for that action at that price only', () => {
    const threshold = signal(1);
    const finalizeUsd = signal(1.4);
    const rerunUsd = signal(1.4);
    const spend = createSpendConfirm(threshold, signal(false));
    expect(spend.asks('finalize', finalizeUsd)).toBe(true);
    expect(spend.question.value).toEqual({ what: 'finalize', usd: 1.4 });
    spend.confirm();
    expect(spend.question.value).toBeNull();
    // accepting Finalize at $1.40 doesn't accept a Re-run at the same amount
    expect(spend.asks('rerun', rerunUsd)).toBe(true);
    spend.dismiss();
    expect(spend.asks('finalize', finalizeUsd)).toBe(false);
  });

  it('drops the question when the price changes under it, and never asks at or below the threshold', () => {
    const price = signal(2);
    const spend = createSpendConfirm(signal(1), signal(false));
    expect(spend.asks('run', price)).toBe(true);
    price.value = 2.5;
    expect(spend.question.value).toBeNull();
    price.value = 1;
    expect(spend.asks('run', price)).toBe(false);
  });
});
