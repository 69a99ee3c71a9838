// Store key names and the UTC windows behind them, at the edges of minutes, days and months.
import { describe, expect, it } from 'vitest';
import {
  dayTtlSeconds,
  describeMonthStart,
  monthTtlSeconds,
  nextUtcDayStart,
  nextUtcMonthStart,
  secondsUntil,
  storeKeys,
  utcDay,
  utcMonth,
} from './keys';

const LAST_SECOND = Date.parse('2026-11-30T23:59:59Z');
const NEXT_MONTH = Date.parse('2026-12-01T00:00:00Z');

describe('UTC windows', () => {
  it('puts 23:59:59 on 30 November and midnight after it in different months and days', () => {
    expect(utcMonth(LAST_SECOND)).toBe('2026-11');
    expect(utcMonth(NEXT_MONTH)).toBe('2026-12');
    expect(utcDay(LAST_SECOND)).toBe('2026-11-30');
    expect(utcDay(NEXT_MONTH)).toBe('2026-12-01');
    expect(storeKeys.usd('alice', utcMonth(LAST_SECOND))).toBe('usd:alice:2026-11');
    expect(storeKeys.usd('alice', utcMonth(NEXT_MONTH))).toBe('usd:alice:2026-12');
    expect(storeKeys.images('alice', LAST_SECOND)).toBe('img:alice:2026-11-30');
    expect(storeKeys.images('alice', NEXT_MONTH)).toBe('img:alice:2026-12-01');
  });

  it('ignores the local time zone (a UTC+14 midnight is still the previous UTC day)', () => {
    const kiribatiMidnight = Date.parse('2026-12-01T00:00:00+14:00');
    expect(utcMonth(kiribatiMidnight)).toBe('2026-11');
    expect(utcDay(kiribatiMidnight)).toBe('2026-11-30');
  });

  it('minute keys change exactly on the minute', () => {
    const a = storeKeys.rpm('bob', Date.parse('2026-11-24T10:00:59.999Z'));
    const b = storeKeys.rpm('bob', Date.parse('2026-11-24T10:01:00.000Z'));
    expect(a).toMatch(/^rpm:bob:\d+$/);
    expect(Number(b.split(':')[2]) - Number(a.split(':')[2])).toBe(1);
  });

  it('knows when the next day and month begin, across a year end and a leap February', () => {
    expect(nextUtcDayStart(LAST_SECOND)).toBe(NEXT_MONTH);
    expect(nextUtcMonthStart(LAST_SECOND)).toBe(NEXT_MONTH);
    expect(nextUtcMonthStart(NEXT_MONTH)).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(nextUtcMonthStart(Date.parse('2028-02-29T12:00:00Z'))).toBe(Date.parse('2028-03-01T00:00:00Z'));
    expect(describeMonthStart(LAST_SECOND)).toBe('1 December');
    expect(describeMonthStart(Date.parse('2026-12-31T23:59:59Z'))).toBe('1 January');
  });

  it('TTLs outlast their window (so a refund after a call spanning midnight finds its key)', () => {
    expect(secondsUntil(LAST_SECOND, NEXT_MONTH)).toBe(1);
    expect(secondsUntil(NEXT_MONTH, NEXT_MONTH)).toBe(1); // never 0: no Retry-After: 0 busy loops
    expect(dayTtlSeconds(LAST_SECOND)).toBe(1 + 86_400);
    expect(monthTtlSeconds(LAST_SECOND)).toBe(1 + 7 * 86_400);
    expect(monthTtlSeconds(NEXT_MONTH)).toBe(31 * 86_400 + 7 * 86_400);
  });

  it('scopes results and claims by token name, so ids never cross tokens', () => {
    expect(storeKeys.result('alice', 'job:1')).toBe('result:alice:job:1');
    expect(storeKeys.result('bob', 'job:1')).not.toBe(storeKeys.result('alice', 'job:1'));
    expect(storeKeys.run('alice', 'job:1')).toBe('run:alice:job:1');
    expect(storeKeys.usage('alice', '2026-11', 'cost')).toBe('usage:alice:2026-11:cost');
  });
});
