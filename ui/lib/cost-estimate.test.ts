import { describe, expect, it } from 'vitest';
import { priceBook } from '../../backend/pricing';
import { billedUsd, estimated, requestEstimate, settle, shownUsd, spendSoFar, totalCost } from './cost-estimate';

const square = { width: 1024, height: 1024 };

describe('cost estimate', () => {
  it('prices with the chosen model\'s book: a lower ceiling for xhigh gives a lower estimate', () => {
    const q = { tier: 'xhigh' as const, size: square, n: 1, references: 0 };
    // the default ceiling, plus the two stream previews ($0.003 each)
    expect(requestEstimate(q)).toBeCloseTo(0.456, 3);
    expect(requestEstimate({ ...q, book: priceBook(undefined, { xhigh: 0.3 }) })).toBeCloseTo(0.306, 3);
  });

  it('scales with n, size and references; previews are per image whatever its size', () => {
    const one = requestEstimate({ tier: 'medium', size: square, n: 1, references: 0 });
    expect(requestEstimate({ tier: 'medium', size: square, n: 4, references: 0 })).toBeCloseTo(one * 4, 5);
    expect(requestEstimate({ tier: 'medium', size: { width: 2048, height: 2048 }, n: 1, references: 0 })).toBeCloseTo((one - 0.006) * 4 + 0.006, 4);
    expect(requestEstimate({ tier: 'medium', size: square, n: 1, references: 2 })).toBeGreaterThan(one);
  });

  it('prices a Now request as sent: its previews billed at 100 output tokens each, none at Low', () => {
    // Low streams no previews (they would double a $0.006 image); Medium and up stream two
    expect(requestEstimate({ tier: 'low', size: square, n: 1, references: 0 })).toBeCloseTo(0.006, 4);
    expect(requestEstimate({ tier: 'medium', size: square, n: 1, references: 0 })).toBeCloseTo(0.053 + 0.006, 3);
    expect(requestEstimate({ tier: 'high', size: square, n: 2, references: 0 })).toBeCloseTo(2 * (0.211 + 0.006), 3);
  });

  it('replaces the estimate with the billed amount once known', () => {
    let cost = estimated(0.053);
    expect(shownUsd(cost)).toEqual({ usd: 0.053, actual: false });
    cost = settle(cost, null);
    expect(shownUsd(cost).actual).toBe(false);
    cost = settle(cost, 0.0481);
    expect(shownUsd(cost)).toEqual({ usd: 0.0481, actual: true });
    expect(totalCost([cost, estimated(0.1)])).toEqual({ usd: 0.1481, actual: false });
    expect(totalCost([cost, settle(estimated(0.1), 0.09)])).toEqual({ usd: 0.1381, actual: true });
  });

  it('counts spend from bills, estimates only for requests still going or delivered unbilled', () => {
    const failed = { cost: estimated(0.2), active: false, delivered: false };
    const billed = { cost: settle(estimated(0.05), 0.0481), active: false, delivered: true };
    const running = { cost: estimated(0.1), active: true, delivered: false };
    expect(spendSoFar([])).toBeNull();
    expect(spendSoFar([failed, failed])).toBeNull();
    expect(spendSoFar([{ ...failed, cost: settle(estimated(0.2), 0) }])).toBeNull();
    expect(spendSoFar([failed, billed])).toEqual({ usd: 0.0481, actual: true });
    expect(spendSoFar([failed, billed, running])).toEqual({ usd: 0.1481, actual: false });
    // a stream that failed after one of its images arrived was billed for it
    expect(spendSoFar([{ ...failed, cost: settle(estimated(0.2), 0.05) }])).toEqual({ usd: 0.05, actual: true });
    expect(spendSoFar([{ cost: estimated(0.05), active: false, delivered: true }])).toEqual({ usd: 0.05, actual: false });
  });

  it('reads the bill from the body first, then the cost header', () => {
    expect(billedUsd(0.05, '0.07')).toBe(0.05);
    expect(billedUsd(undefined, '0.07')).toBe(0.07);
    expect(billedUsd(undefined, 'nonsense')).toBeNull();
    expect(billedUsd(undefined, null)).toBeNull();
  });
});
