// FRAMEFILL_RATE_LIMIT_RPM / _DAILY_IMAGES / _MONTHLY_BUDGET_USD / FRAMEFILL_LIMITS → limits.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { limitsFor, loadLimits, parseLimitValue } from './limits';

const NAMES = ['alice', 'bob', 'carol'];

describe('loadLimits', () => {
  it('defaults to 60 requests a minute, 500 images a day and no budget', () => {
    expect(loadLimits({}, NAMES)).toEqual({ defaults: { rpm: 60, dailyImages: 500, monthlyBudgetMicros: null }, perToken: {} });
  });

  it('reads the globals and merges per-token overrides over them', () => {
    const limits = loadLimits(
      {
        FRAMEFILL_RATE_LIMIT_RPM: '30',
        FRAMEFILL_DAILY_IMAGES: 'none',
        FRAMEFILL_MONTHLY_BUDGET_USD: '100',
        FRAMEFILL_LIMITS: ' alice:rpm=10;images=100;budget=25 , bob:budget=5.5 ,carol:RPM=none;',
      },
      NAMES,
    );
    expect(limits.defaults).toEqual({ rpm: 30, dailyImages: null, monthlyBudgetMicros: 100_000_000 });
    expect(limitsFor(limits, 'alice')).toEqual({ rpm: 10, dailyImages: 100, monthlyBudgetMicros: 25_000_000 });
    expect(limitsFor(limits, 'bob')).toEqual({ rpm: 30, dailyImages: null, monthlyBudgetMicros: 5_500_000 });
    expect(limitsFor(limits, 'carol')).toEqual({ rpm: null, dailyImages: null, monthlyBudgetMicros: 100_000_000 });
    expect(limitsFor(limits, 'dave')).toBe(limits.defaults);
  });

  it('keeps budgets exact to the micro-dollar (no float drift)', () => {
    expect(parseLimitValue('budget', '0.000001', 'x')).toBe(1);
    expect(parseLimitValue('budget', '19.99', 'x')).toBe(19_990_000);
    expect(parseLimitValue('budget', '1000000', 'x')).toBe(1_000_000_000_000);
  });

  it.each([
    ['rpm 0', { FRAMEFILL_RATE_LIMIT_RPM: '0' }, /FRAMEFILL_RATE_LIMIT_RPM is 0: use none for no limit/],
    ['budget 0', { FRAMEFILL_MONTHLY_BUDGET_USD: '0.00' }, /FRAMEFILL_MONTHLY_BUDGET_USD is 0: use none for no budget/],
    ['a negative rpm', { FRAMEFILL_RATE_LIMIT_RPM: '-1' }, /whole number or none \(got "-1"\)/],
    ['a fractional image count', { FRAMEFILL_DAILY_IMAGES: '2.5' }, /FRAMEFILL_DAILY_IMAGES must be a whole number/],
    ['a dollar sign', { FRAMEFILL_MONTHLY_BUDGET_USD: '$25' }, /dollar amount such as 25 or 12.50/],
    ['too many decimals', { FRAMEFILL_MONTHLY_BUDGET_USD: '1.0000001' }, /dollar amount/],
    ['an unknown token', { FRAMEFILL_LIMITS: 'mallory:rpm=1' }, /entry 1 names "mallory", which is not a token in FRAMEFILL_TOKENS/],
    ['a missing colon', { FRAMEFILL_LIMITS: 'alice' }, /entry 1 \("alice"\) must look like name:rpm=10/],
    ['an unknown key', { FRAMEFILL_LIMITS: 'alice:rpm=1;cost=5' }, /\(alice\): unknown limit "cost"; use rpm, images or budget/],
    ['a key without value', { FRAMEFILL_LIMITS: 'alice:rpm' }, /rpm needs a value/],
    ['a key twice', { FRAMEFILL_LIMITS: 'alice:rpm=1;rpm=2' }, /sets rpm twice/],
    ['a token twice', { FRAMEFILL_LIMITS: 'alice:rpm=1,bob:rpm=2,alice:images=3' }, /entry 3: alice has limits twice/],
    ['an empty entry', { FRAMEFILL_LIMITS: 'alice:' }, /sets nothing/],
    ['an override 0', { FRAMEFILL_LIMITS: 'bob:images=0' }, /entry 1 \(bob\) images is 0/],
  ])('refuses %s with a clear one-line message', (_what, env, message) => {
    expect(() => loadLimits(env, NAMES)).toThrow(ConfigError);
    expect(() => loadLimits(env, NAMES)).toThrow(message);
  });
});
