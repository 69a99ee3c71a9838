import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatUsd, plural } from './format';

describe('format', () => {
  it('reads money the way a designer expects', () => {
    expect(formatUsd(0.42)).toBe('$0.42');
    expect(formatUsd(0.053)).toBe('$0.05');
    expect(formatUsd(0.006)).toBe('$0.006');
    expect(formatUsd(0)).toBe('$0.00');
  });
  it('reads durations and ages', () => {
    expect(formatDuration(8_400)).toBe('8 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatAgo(0, 10_000)).toBe('just now');
    expect(formatAgo(0, 5 * 60_000)).toBe('5 min ago');
    expect(plural(1, 'image')).toBe('1 image');
    expect(plural(3, 'image')).toBe('3 images');
  });
});
